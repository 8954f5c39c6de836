-- error: found end of input
SELECT order_id
FROM bronze.snowflake_orders
WHERE quantity >
