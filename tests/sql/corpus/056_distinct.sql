SELECT DISTINCT currency FROM bronze.snowflake_orders
