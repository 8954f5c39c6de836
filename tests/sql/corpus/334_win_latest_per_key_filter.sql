SELECT * FROM (SELECT order_id, status, updated_at, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC, _source_file DESC) AS rn FROM bronze.snowflake_orders) t WHERE rn = 1
