WITH x AS (SELECT currency, quantity FROM bronze.snowflake_orders WHERE quantity = 5) SELECT currency FROM x UNION ALL SELECT currency FROM x
