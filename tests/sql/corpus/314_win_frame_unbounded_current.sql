SELECT order_id, SUM(quantity) OVER (PARTITION BY currency ORDER BY order_id, updated_at ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS s FROM bronze.snowflake_orders
