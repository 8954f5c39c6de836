SELECT order_id, ROW_NUMBER() OVER (ORDER BY order_id, updated_at) AS rn FROM bronze.snowflake_orders WHERE quantity < 0
