-- error: no common type for string and int32: add an explicit CAST
SELECT order_id FROM bronze.snowflake_orders UNION ALL SELECT quantity FROM bronze.snowflake_orders
