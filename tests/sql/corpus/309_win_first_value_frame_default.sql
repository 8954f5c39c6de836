SELECT order_id, FIRST_VALUE(total_amount) OVER (PARTITION BY currency ORDER BY order_id, updated_at) AS f FROM bronze.snowflake_orders
