SELECT age, count(*) AS n FROM bronze.snowflake_customers GROUP BY age HAVING age IS NULL OR count(*) > 12
