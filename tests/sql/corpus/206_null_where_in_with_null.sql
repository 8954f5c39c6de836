SELECT count(*) FROM bronze.snowflake_customers WHERE age IN (30, 31, NULL)
