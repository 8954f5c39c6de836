-- error: distinct_on_unsupported.sql:2:17: DISTINCT ON is not supported
SELECT DISTINCT ON (currency) currency, order_id FROM bronze.snowflake_orders
