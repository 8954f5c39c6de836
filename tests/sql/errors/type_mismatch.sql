-- error: 
SELECT order_id FROM bronze.snowflake_orders WHERE quantity = 'abc' AND order_date + 1
