-- ordered
SELECT order_id FROM bronze.snowflake_orders ORDER BY order_id LIMIT 0
