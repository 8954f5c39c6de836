SELECT o.order_id, p.sku FROM bronze.snowflake_orders o LEFT JOIN (SELECT * FROM bronze.snowflake_products WHERE 1 = 0) p ON o.product_id = p.product_id WHERE o.quantity = 5
