SELECT customer_id, COUNT(age) OVER (PARTITION BY country) AS c, COUNT(*) OVER (PARTITION BY country) AS n FROM bronze.snowflake_customers
