SELECT customer_id, ROW_NUMBER() OVER (PARTITION BY gender ORDER BY age DESC NULLS FIRST, customer_id) AS rn FROM bronze.snowflake_customers
