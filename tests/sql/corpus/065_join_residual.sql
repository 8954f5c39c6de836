SELECT o.order_id, p.product_id FROM bronze.snowflake_orders o LEFT JOIN bronze.snowflake_products p ON o.product_id = p.product_id AND p.price_usd > 500
