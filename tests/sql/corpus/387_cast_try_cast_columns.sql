SELECT customer_id, TRY_CAST(zip_code AS INTEGER) AS z, TRY_CAST(substring(phone, 2, 3) AS INTEGER) AS area FROM bronze.snowflake_customers
