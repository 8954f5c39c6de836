SELECT DISTINCT age FROM bronze.snowflake_customers
