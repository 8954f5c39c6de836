SELECT order_id, date_diff('day', LAG(order_date) OVER (PARTITION BY customer_id ORDER BY order_date, order_id), order_date) AS gap FROM bronze.snowflake_orders
