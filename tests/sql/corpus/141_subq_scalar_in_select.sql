SELECT order_id, total_amount - (SELECT avg(total_amount) FROM bronze.snowflake_orders) AS diff FROM bronze.snowflake_orders WHERE quantity = 5
