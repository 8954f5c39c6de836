SELECT p.product_id, q.product_id AS other FROM bronze.snowflake_products p CROSS JOIN bronze.snowflake_products q WHERE p.price_usd > q.price_usd * 20 AND p.category = q.category
