SELECT lower(category), upper(brand) FROM bronze.snowflake_products
