SELECT o.order_id, p.category FROM bronze.snowflake_orders o INNER JOIN bronze.snowflake_products p ON o.product_id = p.product_id AND o.unit_price > p.price_usd
