SELECT count(*) FROM bronze.snowflake_orders WHERE quantity NOT IN (SELECT NULLIF(quantity, 2) FROM bronze.snowflake_orders)
