-- ordered
SELECT product_id AS id FROM bronze.snowflake_products UNION ALL SELECT customer_id FROM bronze.snowflake_customers ORDER BY id LIMIT 5 OFFSET 97
