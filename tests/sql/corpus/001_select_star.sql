SELECT * FROM bronze.snowflake_products
