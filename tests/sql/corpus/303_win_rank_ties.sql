SELECT order_id, quantity, RANK() OVER (PARTITION BY currency ORDER BY quantity) AS r FROM bronze.snowflake_orders
