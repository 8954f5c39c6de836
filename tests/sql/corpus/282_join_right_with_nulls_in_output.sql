SELECT o.channel, p.category FROM bronze.snowflake_orders o RIGHT JOIN bronze.snowflake_products p ON o.product_id = p.product_id AND o.channel IS NULL
