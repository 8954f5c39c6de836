SELECT order_id, SUM(total_amount) OVER (PARTITION BY currency ORDER BY order_id, updated_at ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS s FROM bronze.snowflake_orders
