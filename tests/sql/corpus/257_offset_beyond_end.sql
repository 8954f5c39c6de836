-- ordered
SELECT product_id FROM bronze.snowflake_products ORDER BY product_id LIMIT 10 OFFSET 1000
