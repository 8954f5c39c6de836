SELECT count(*) FROM bronze.snowflake_orders WHERE order_date >= DATE '2025-01-01'
