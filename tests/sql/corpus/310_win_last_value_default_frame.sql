SELECT order_id, LAST_VALUE(order_id) OVER (PARTITION BY currency ORDER BY order_id, updated_at) AS l FROM bronze.snowflake_orders
