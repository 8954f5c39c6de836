SELECT count(*) FROM bronze.snowflake_customers WHERE age NOT IN (30, NULL)
