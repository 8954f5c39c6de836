-- error: lag_negative_offset.sql:2:22: lag's offset must be an integer literal
SELECT LAG(order_id, -1) OVER (ORDER BY order_id) FROM bronze.snowflake_orders
