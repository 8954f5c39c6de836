SELECT count(*) FROM bronze.snowflake_customers WHERE email NOT LIKE '%@%'
