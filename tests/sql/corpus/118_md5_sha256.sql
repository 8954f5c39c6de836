SELECT md5(customer_id), sha256(customer_id) FROM bronze.snowflake_customers
