SELECT customer_id, age, count(*) OVER (PARTITION BY age) AS n FROM bronze.snowflake_customers
