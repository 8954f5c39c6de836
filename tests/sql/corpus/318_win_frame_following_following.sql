SELECT order_id, MIN(total_amount) OVER (ORDER BY order_id, updated_at ROWS BETWEEN 1 FOLLOWING AND 3 FOLLOWING) AS m FROM bronze.snowflake_orders
