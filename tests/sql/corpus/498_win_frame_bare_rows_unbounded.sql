SELECT order_id, COUNT(*) OVER (PARTITION BY channel ORDER BY order_id, updated_at ROWS UNBOUNDED PRECEDING) AS c FROM bronze.snowflake_orders
