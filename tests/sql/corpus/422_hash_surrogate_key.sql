SELECT order_id, md5(order_id || '|' || CAST(updated_at AS VARCHAR)) AS sk FROM bronze.snowflake_orders
