SELECT ALL currency FROM bronze.snowflake_orders WHERE quantity = 5
