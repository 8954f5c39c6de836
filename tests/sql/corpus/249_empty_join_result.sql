SELECT o.order_id FROM bronze.snowflake_orders o JOIN bronze.snowflake_products p ON o.product_id = p.product_id WHERE p.price_usd < 0
