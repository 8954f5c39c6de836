SELECT order_id, COUNT(*) OVER (PARTITION BY year(order_date), quantity > 2) AS n FROM bronze.snowflake_orders
