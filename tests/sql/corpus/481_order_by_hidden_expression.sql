-- ordered
SELECT product_id FROM bronze.snowflake_products ORDER BY length(product_name), product_id
