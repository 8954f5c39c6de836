SELECT least(quantity, 3), greatest(quantity, 3) FROM bronze.snowflake_orders
