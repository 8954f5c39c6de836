SELECT count(*) FROM bronze.snowflake_orders WHERE EXISTS (SELECT 1 FROM bronze.snowflake_products WHERE category = 'Nope')
