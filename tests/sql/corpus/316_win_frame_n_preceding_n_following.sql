SELECT order_id, AVG(total_amount) OVER (ORDER BY order_id, updated_at ROWS BETWEEN 2 PRECEDING AND 2 FOLLOWING) AS a FROM bronze.snowflake_orders
