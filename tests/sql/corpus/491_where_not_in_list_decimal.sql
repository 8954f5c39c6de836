SELECT count(*) FROM bronze.snowflake_orders WHERE discount_pct NOT IN (0, 5.00, 10)
