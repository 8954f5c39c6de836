SELECT o.order_id, p.sku FROM bronze.snowflake_orders o LEFT JOIN bronze.snowflake_products p ON o.product_id = p.product_id AND o.quantity > 3
