SELECT order_id, channel, ROW_NUMBER() OVER (PARTITION BY channel ORDER BY order_id, updated_at) AS rn FROM bronze.snowflake_orders
