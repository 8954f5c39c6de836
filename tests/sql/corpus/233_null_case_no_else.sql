SELECT customer_id, CASE WHEN age < 30 THEN 'young' WHEN age >= 60 THEN 'senior' END AS band FROM bronze.snowflake_customers
