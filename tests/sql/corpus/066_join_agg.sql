SELECT p.category, count(*) AS n, sum(o.quantity) AS q FROM bronze.snowflake_orders o JOIN bronze.snowflake_products p ON o.product_id = p.product_id GROUP BY p.category
