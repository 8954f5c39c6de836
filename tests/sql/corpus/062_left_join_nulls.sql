SELECT count(*) FROM bronze.snowflake_orders o LEFT JOIN bronze.snowflake_products p ON o.product_id = p.product_id WHERE p.product_id IS NULL
