SELECT order_id, AVG(total_amount) OVER (PARTITION BY currency) AS a FROM bronze.snowflake_orders
