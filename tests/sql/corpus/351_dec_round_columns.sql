SELECT order_id, round(total_amount, 1) AS r1, round(total_amount, 0) AS r0, round(total_amount, -2) AS rm2 FROM bronze.snowflake_orders
