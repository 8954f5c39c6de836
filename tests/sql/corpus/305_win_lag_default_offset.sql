SELECT order_id, LAG(total_amount) OVER (PARTITION BY customer_id ORDER BY order_ts, order_id, updated_at) AS prev FROM bronze.snowflake_orders
