SELECT count(DISTINCT age) AS d, count(age) AS c, count(*) AS n FROM bronze.snowflake_customers
