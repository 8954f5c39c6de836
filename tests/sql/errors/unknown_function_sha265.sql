-- error: unknown_function_sha265.sql:3:8: unknown function 'sha265' (did you mean 'sha256'?)
SELECT order_id,
       sha265(order_id) FROM bronze.snowflake_orders
