SELECT order_id, FIRST_VALUE(order_id) OVER (PARTITION BY customer_id ORDER BY order_id) AS f FROM bronze.snowflake_orders
