SELECT product_id, MIN(price_usd) OVER (ORDER BY product_id ROWS BETWEEN 5 PRECEDING AND UNBOUNDED FOLLOWING) AS m FROM bronze.snowflake_products
