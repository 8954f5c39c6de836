SELECT order_id, total_amount FROM bronze.snowflake_orders WHERE currency = 'EUR'
