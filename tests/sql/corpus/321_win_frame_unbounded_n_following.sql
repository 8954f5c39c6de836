SELECT order_id, MAX(quantity) OVER (PARTITION BY status ORDER BY order_id, updated_at ROWS BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING) AS m FROM bronze.snowflake_orders
