SELECT customer_id FROM bronze.snowflake_customers WHERE customer_id LIKE 'CUST-00001_'
