SELECT count(*) FROM bronze.snowflake_customers WHERE NOT (age > 40)
