SELECT order_id FROM bronze.snowflake_orders WHERE 1 = 0 UNION ALL SELECT product_id FROM bronze.snowflake_products WHERE category = 'Toys'
