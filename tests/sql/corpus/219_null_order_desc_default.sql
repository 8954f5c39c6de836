-- ordered
SELECT customer_id, age FROM bronze.snowflake_customers ORDER BY age DESC, customer_id
