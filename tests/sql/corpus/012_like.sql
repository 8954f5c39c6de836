SELECT product_id FROM bronze.snowflake_products WHERE product_name LIKE '%Book%'
