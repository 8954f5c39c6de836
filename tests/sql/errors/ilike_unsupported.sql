-- error: ilike_unsupported.sql:2:61: ILIKE is not supported (use LIKE, lower() or regexp_matches())
SELECT order_id FROM bronze.snowflake_orders WHERE currency ILIKE 'eur'
