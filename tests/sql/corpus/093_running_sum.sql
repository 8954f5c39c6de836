SELECT order_id, SUM(quantity) OVER (PARTITION BY customer_id ORDER BY order_id) AS running FROM bronze.snowflake_orders
