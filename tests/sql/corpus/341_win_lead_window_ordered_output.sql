-- ordered
SELECT product_id, LEAD(product_id) OVER (ORDER BY product_id) AS nxt FROM bronze.snowflake_products ORDER BY product_id DESC
