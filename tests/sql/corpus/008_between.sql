SELECT order_id FROM bronze.snowflake_orders WHERE quantity BETWEEN 2 AND 4
