SELECT order_id, SUM(quantity) OVER (ORDER BY order_id, updated_at ROWS BETWEEN CURRENT ROW AND CURRENT ROW) AS s FROM bronze.snowflake_orders
