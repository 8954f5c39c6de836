SELECT customer_id, RANK() OVER (ORDER BY age NULLS FIRST) AS r FROM bronze.snowflake_customers
