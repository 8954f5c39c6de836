-- ordered
SELECT order_id FROM bronze.snowflake_orders WHERE quantity > 99 ORDER BY order_id LIMIT 5
