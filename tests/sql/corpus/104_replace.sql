SELECT replace(order_id, 'ORD-', 'O') FROM bronze.snowflake_orders
