SELECT substring(order_id, 5, 4) FROM bronze.snowflake_orders
