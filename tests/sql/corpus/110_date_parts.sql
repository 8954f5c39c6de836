SELECT year(order_date), month(order_date), day(order_date), quarter(order_date), dayofweek(order_date) FROM bronze.snowflake_orders
