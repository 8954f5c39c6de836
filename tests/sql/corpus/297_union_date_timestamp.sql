SELECT order_date AS d FROM bronze.snowflake_orders WHERE quantity = 5 UNION ALL SELECT order_ts FROM bronze.snowflake_orders WHERE quantity = 4
