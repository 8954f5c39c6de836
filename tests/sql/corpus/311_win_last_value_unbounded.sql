SELECT order_id, LAST_VALUE(order_id) OVER (PARTITION BY currency ORDER BY order_id, updated_at ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS l FROM bronze.snowflake_orders
