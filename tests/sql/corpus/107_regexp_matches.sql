SELECT count(*) FROM bronze.snowflake_customers WHERE regexp_matches(email, '^[a-z0-9.]+@[a-z0-9.]+$')
