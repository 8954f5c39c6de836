SELECT count(*) AS n FROM bronze.snowflake_customers WHERE CAST(NULL AS BOOLEAN) OR age IS NULL
