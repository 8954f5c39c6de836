SELECT order_id, status, updated_at FROM (SELECT order_id, status, updated_at, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC) AS rn FROM bronze.snowflake_orders) t WHERE rn = 1
