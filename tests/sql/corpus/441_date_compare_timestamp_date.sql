SELECT count(*) FROM bronze.snowflake_orders WHERE order_ts >= DATE '2025-01-01' AND order_date < DATE '2025-07-01'
