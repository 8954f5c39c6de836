SELECT order_id, date_add(order_date, quantity) AS due, date_add(order_date, -7) AS week_before FROM bronze.snowflake_orders
