-- ordered
SELECT order_id FROM bronze.snowflake_orders ORDER BY order_date DESC, order_id LIMIT 15
