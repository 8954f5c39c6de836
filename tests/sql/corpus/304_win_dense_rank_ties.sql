SELECT order_id, quantity, DENSE_RANK() OVER (PARTITION BY currency ORDER BY quantity DESC) AS r FROM bronze.snowflake_orders
