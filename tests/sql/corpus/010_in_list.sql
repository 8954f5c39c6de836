SELECT order_id, currency FROM bronze.snowflake_orders WHERE currency IN ('JPY', 'INR', 'CHF')
