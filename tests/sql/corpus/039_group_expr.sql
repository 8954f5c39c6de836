SELECT quantity % 3 AS bucket, count(*) FROM bronze.snowflake_orders GROUP BY quantity % 3
