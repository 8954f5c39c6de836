SELECT customer_id, least(age, 40) AS l, greatest(age, 40) AS g FROM bronze.snowflake_customers
