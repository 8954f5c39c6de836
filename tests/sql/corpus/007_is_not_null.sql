SELECT count(*) FROM bronze.snowflake_orders WHERE discount_pct IS NOT NULL
