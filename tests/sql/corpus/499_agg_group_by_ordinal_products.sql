SELECT category, count(*) AS n, min(price_usd) AS lo FROM bronze.snowflake_products GROUP BY 1
