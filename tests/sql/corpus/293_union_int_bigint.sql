SELECT quantity AS v FROM bronze.snowflake_orders WHERE quantity = 5 UNION ALL SELECT CAST(9000000000 AS BIGINT)
