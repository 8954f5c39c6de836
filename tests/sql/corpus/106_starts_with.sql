SELECT count(*) FROM bronze.snowflake_customers WHERE starts_with(customer_id, 'CUST-0000')
