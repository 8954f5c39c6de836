SELECT lower(status) AS s, count(*) AS n FROM bronze.snowflake_orders GROUP BY lower(status)
