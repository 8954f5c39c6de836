SELECT DISTINCT year(order_date) AS y, quantity > 2 AS big FROM bronze.snowflake_orders
