SELECT customer_id, FIRST_VALUE(age) OVER (PARTITION BY country ORDER BY customer_id) AS f FROM bronze.snowflake_customers
