-- error: order_by_ordinal_out_of_range.sql:2:65: ORDER BY 3: the select list has 2 column(s)
SELECT order_id, currency FROM bronze.snowflake_orders ORDER BY 3
