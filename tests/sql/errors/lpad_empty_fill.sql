-- error: line 2 column 8: lpad: the fill string is empty
SELECT lpad(order_id, 20, '') FROM bronze.snowflake_orders
