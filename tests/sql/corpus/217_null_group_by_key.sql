SELECT age, count(*) AS n FROM bronze.snowflake_customers WHERE age IS NULL OR age < 25 GROUP BY age
