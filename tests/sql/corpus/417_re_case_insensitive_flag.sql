SELECT count(*) FROM bronze.snowflake_orders WHERE regexp_matches(status, 'ship|deliv', 'i')
