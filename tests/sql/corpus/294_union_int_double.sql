SELECT quantity AS v FROM bronze.snowflake_orders WHERE order_id < 'ORD-00000020' UNION ALL SELECT 2.5e0
