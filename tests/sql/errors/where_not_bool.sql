-- error: WHERE needs a boolean condition
SELECT order_id FROM bronze.snowflake_orders WHERE quantity
