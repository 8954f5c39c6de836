SELECT sum(age) AS s, avg(age) AS a, min(age) AS mi, max(age) AS ma, count(age) AS c FROM bronze.snowflake_customers WHERE age IS NULL
