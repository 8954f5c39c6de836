SELECT DISTINCT currency, status FROM bronze.snowflake_orders
