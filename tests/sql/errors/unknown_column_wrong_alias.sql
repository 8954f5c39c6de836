-- error: unknown_column_wrong_alias.sql:2:8: unknown column 'c.order_id'
SELECT c.order_id FROM bronze.snowflake_orders o JOIN bronze.snowflake_customers c ON o.customer_id = c.customer_id
