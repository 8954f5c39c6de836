SELECT active, count(*) FROM bronze.snowflake_products GROUP BY active
