SELECT count(*) FROM bronze.snowflake_orders
