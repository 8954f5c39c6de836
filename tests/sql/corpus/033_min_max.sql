SELECT min(order_date), max(order_date), min(currency), max(total_amount) FROM bronze.snowflake_orders
