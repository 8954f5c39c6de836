SELECT discount_pct, count(*) FROM bronze.snowflake_orders GROUP BY discount_pct
