SELECT customer_id, LAG(age) OVER (ORDER BY customer_id) AS prev_age FROM bronze.snowflake_customers
