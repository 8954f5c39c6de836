SELECT quantity AS v FROM bronze.snowflake_orders UNION ALL SELECT total_amount FROM bronze.snowflake_orders
