SELECT order_id, FIRST_VALUE(order_id) OVER (PARTITION BY status ORDER BY order_id DESC, updated_at ROWS BETWEEN CURRENT ROW AND UNBOUNDED FOLLOWING) AS f FROM bronze.snowflake_orders
