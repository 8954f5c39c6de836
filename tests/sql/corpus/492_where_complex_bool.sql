SELECT count(*) FROM bronze.snowflake_orders WHERE (currency = 'EUR' OR currency = 'USD') AND NOT (status = 'CANCELLED' OR quantity < 2) AND channel IS NOT NULL
