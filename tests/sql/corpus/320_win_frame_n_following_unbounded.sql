SELECT order_id, COUNT(order_id) OVER (PARTITION BY currency ORDER BY order_id, updated_at ROWS BETWEEN 2 FOLLOWING AND UNBOUNDED FOLLOWING) AS c FROM bronze.snowflake_orders
