SELECT order_id, AVG(quantity) OVER (PARTITION BY currency ORDER BY order_id ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) AS a3 FROM bronze.snowflake_orders
