SELECT TRY_CAST(zip_code AS INTEGER) AS z FROM bronze.snowflake_customers
