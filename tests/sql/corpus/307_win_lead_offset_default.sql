SELECT order_id, LEAD(order_id, 1, 'none') OVER (PARTITION BY customer_id ORDER BY order_id, updated_at) AS nxt FROM bronze.snowflake_orders
