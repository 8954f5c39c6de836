-- error: 3:
SELECT order_id
FROM bronze.snowflake_orders
WHERE quantity >
