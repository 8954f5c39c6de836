SELECT * FROM (WITH c AS (SELECT country, count(*) AS n FROM bronze.snowflake_customers GROUP BY country) SELECT * FROM c WHERE n > 20) t
