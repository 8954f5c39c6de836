-- error: limit_not_integer.sql:2:52: expected an integer, found 'a'
SELECT order_id FROM bronze.snowflake_orders LIMIT 'a'
