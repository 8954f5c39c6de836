SELECT count(*) FROM bronze.snowflake_orders WHERE product_id IN (SELECT product_id FROM bronze.snowflake_products WHERE category = 'Books')
