SELECT length(product_name) FROM bronze.snowflake_products
