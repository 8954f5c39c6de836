SELECT p.product_id FROM bronze.snowflake_products p WHERE EXISTS (SELECT 1 FROM bronze.snowflake_orders o WHERE o.quantity = 5 AND o.product_id = p.product_id)
