SELECT order_id, quantity / 2 AS h, quantity % 2 AS m, -quantity % 2 AS nm FROM bronze.snowflake_orders
