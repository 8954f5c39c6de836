-- ordered
SELECT customer_id, age FROM bronze.snowflake_customers ORDER BY age ASC NULLS FIRST, customer_id
