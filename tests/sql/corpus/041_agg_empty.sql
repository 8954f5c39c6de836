SELECT count(*), sum(quantity), max(order_date) FROM bronze.snowflake_orders WHERE quantity > 1000
