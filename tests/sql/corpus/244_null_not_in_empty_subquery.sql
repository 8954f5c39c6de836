SELECT count(*) FROM bronze.snowflake_customers WHERE age NOT IN (SELECT age FROM bronze.snowflake_customers WHERE age > 1000)
