SELECT order_id, RANK() OVER (PARTITION BY currency ORDER BY quantity) AS r, DENSE_RANK() OVER (PARTITION BY currency ORDER BY quantity) AS d FROM bronze.snowflake_orders
