SELECT order_id, COUNT(*) OVER (PARTITION BY currency) AS n, MAX(total_amount) OVER (PARTITION BY currency) AS m FROM bronze.snowflake_orders
