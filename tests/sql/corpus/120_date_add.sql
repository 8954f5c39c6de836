SELECT date_add(order_date, INTERVAL 7 DAY) FROM bronze.snowflake_orders
