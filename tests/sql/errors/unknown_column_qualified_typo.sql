-- error: unknown_column_qualified_typo.sql:2:20: unknown column 'o.quantiy' (did you mean 'quantity'?)
SELECT o.order_id, o.quantiy
FROM bronze.snowflake_orders o
