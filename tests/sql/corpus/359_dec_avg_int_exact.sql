SELECT avg(quantity) AS a, avg(CAST(quantity AS BIGINT) * 1000000000000) AS b FROM bronze.snowflake_orders
