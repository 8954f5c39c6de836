SELECT order_id, SUM(quantity) OVER (PARTITION BY currency ORDER BY order_date) AS s FROM bronze.snowflake_orders
