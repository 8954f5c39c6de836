SELECT order_id, quantity * 2 + 1 AS q FROM bronze.snowflake_orders
