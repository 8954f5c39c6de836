SELECT customer_id, first_name || ' ' || last_name AS full_name, city || ', ' || country AS place FROM bronze.snowflake_customers
