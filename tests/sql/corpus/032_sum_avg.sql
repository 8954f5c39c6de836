SELECT sum(quantity), avg(quantity), sum(total_amount), avg(total_amount) FROM bronze.snowflake_orders
