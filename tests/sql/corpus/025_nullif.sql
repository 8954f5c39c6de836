SELECT NULLIF(quantity, 1) AS q FROM bronze.snowflake_orders
