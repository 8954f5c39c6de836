SELECT count(*) FROM bronze.snowflake_customers WHERE age NOT IN (SELECT age FROM bronze.snowflake_customers WHERE customer_id < 'CUST-000010')
