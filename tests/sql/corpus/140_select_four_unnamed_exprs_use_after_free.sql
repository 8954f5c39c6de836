SELECT quantity + 1, quantity + 2, quantity + 3, quantity * 4 FROM bronze.snowflake_orders
