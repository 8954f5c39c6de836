SELECT count(*) AS n FROM bronze.snowflake_orders HAVING count(*) > 1000000
