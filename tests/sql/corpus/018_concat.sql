SELECT first_name || ' ' || last_name AS full_name FROM bronze.snowflake_customers
