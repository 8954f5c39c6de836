SELECT count(*) FROM bronze.snowflake_orders WHERE discount_pct IS DISTINCT FROM 0
