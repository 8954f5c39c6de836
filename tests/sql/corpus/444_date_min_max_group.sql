SELECT customer_id, min(order_date) AS first_d, max(order_ts) AS last_ts FROM bronze.snowflake_orders GROUP BY customer_id
