SELECT count(*) FROM bronze.snowflake_orders WHERE order_date BETWEEN DATE '2024-06-01' AND DATE '2024-06-30'
