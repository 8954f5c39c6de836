SELECT count(*) FROM bronze.snowflake_customers WHERE age > 50 OR age IS NULL
