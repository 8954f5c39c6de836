-- ordered
SELECT customer_id, age FROM bronze.snowflake_customers ORDER BY age, customer_id
