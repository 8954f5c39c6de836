SELECT count(*) FROM bronze.snowflake_customers c WHERE EXISTS (SELECT 1 FROM bronze.snowflake_customers d WHERE d.age IS NULL)
