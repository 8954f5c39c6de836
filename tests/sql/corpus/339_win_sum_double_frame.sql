SELECT order_id, SUM(CAST(total_amount AS DOUBLE)) OVER (PARTITION BY currency ORDER BY order_id, updated_at ROWS 2 PRECEDING) AS s FROM bronze.snowflake_orders
