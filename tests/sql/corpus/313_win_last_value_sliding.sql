SELECT order_id, LAST_VALUE(quantity) OVER (ORDER BY order_id, updated_at ROWS BETWEEN 1 PRECEDING AND 1 FOLLOWING) AS l FROM bronze.snowflake_orders
