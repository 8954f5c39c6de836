SELECT order_id, LAG(quantity, 2, -1) OVER (PARTITION BY currency ORDER BY order_id, updated_at) AS p2 FROM bronze.snowflake_orders
