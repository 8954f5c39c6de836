SELECT count(*) FROM bronze.snowflake_orders WHERE order_ts IS NULL
