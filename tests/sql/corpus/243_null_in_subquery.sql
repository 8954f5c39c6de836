SELECT count(*) FROM bronze.snowflake_customers WHERE age IN (SELECT age FROM bronze.snowflake_customers WHERE age > 60 OR age IS NULL)
