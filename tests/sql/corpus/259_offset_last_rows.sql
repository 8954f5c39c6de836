-- ordered
SELECT product_id FROM bronze.snowflake_products ORDER BY product_id DESC LIMIT 10 OFFSET 95
