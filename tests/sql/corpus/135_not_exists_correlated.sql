SELECT count(*) FROM bronze.snowflake_products p WHERE NOT EXISTS (SELECT * FROM bronze.snowflake_orders o WHERE p.product_id = o.product_id)
