-- error: union_three_vs_two.sql:2:76: UNION ALL branches have 3 and 2 columns
SELECT order_id, quantity, currency FROM bronze.snowflake_orders UNION ALL SELECT product_id, stock_quantity FROM bronze.snowflake_products
