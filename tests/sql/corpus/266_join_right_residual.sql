SELECT p.product_id, o.order_id FROM bronze.snowflake_orders o RIGHT JOIN bronze.snowflake_products p ON o.product_id = p.product_id AND o.quantity = 5
