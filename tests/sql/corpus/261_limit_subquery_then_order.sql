-- ordered
SELECT * FROM (SELECT order_id, total_amount FROM bronze.snowflake_orders ORDER BY total_amount DESC, order_id LIMIT 10) t ORDER BY order_id
