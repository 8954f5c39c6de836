SELECT order_id, quantity FROM bronze.snowflake_orders WHERE 1 = 0
