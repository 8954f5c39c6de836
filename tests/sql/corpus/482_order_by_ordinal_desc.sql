-- ordered
SELECT category, count(*) AS n FROM bronze.snowflake_products GROUP BY category ORDER BY 2 DESC, 1
