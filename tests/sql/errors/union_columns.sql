-- error: UNION ALL branches have
SELECT order_id FROM bronze.snowflake_orders UNION ALL SELECT order_id, currency FROM bronze.snowflake_orders
