SELECT order_id FROM bronze.snowflake_orders WHERE (currency = 'USD' OR currency = 'GBP') AND quantity > 3
