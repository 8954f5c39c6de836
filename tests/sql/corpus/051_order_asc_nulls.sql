-- ordered
SELECT order_id, order_ts FROM bronze.snowflake_orders ORDER BY order_ts NULLS FIRST, order_id LIMIT 30
