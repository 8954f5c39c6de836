SELECT currency, count(*) FROM bronze.snowflake_orders GROUP BY 1
