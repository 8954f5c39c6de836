SELECT count(*) AS n FROM bronze.snowflake_orders HAVING count(*) > 0
