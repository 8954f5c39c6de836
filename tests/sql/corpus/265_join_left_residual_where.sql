SELECT o.order_id, p.sku FROM bronze.snowflake_orders o LEFT JOIN bronze.snowflake_products p ON o.product_id = p.product_id AND p.category = 'Books' WHERE p.sku IS NULL AND o.currency = 'CHF'
