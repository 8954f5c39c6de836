SELECT order_id, SUM(quantity) OVER (ORDER BY order_id, updated_at ROWS 4 PRECEDING) AS s FROM bronze.snowflake_orders
