SELECT order_id, year(order_date) AS y, quarter(order_date) AS q, month(order_date) AS m, day(order_date) AS d, dayofweek(order_date) AS dw, dayofyear(order_date) AS dy FROM bronze.snowflake_orders
