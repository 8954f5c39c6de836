SELECT order_id FROM bronze.snowflake_orders WHERE total_amount = (SELECT max(total_amount) FROM bronze.snowflake_orders)
