SELECT count(*) FROM bronze.snowflake_orders WHERE updated_at > TIMESTAMP '2025-06-01 00:00:00'
