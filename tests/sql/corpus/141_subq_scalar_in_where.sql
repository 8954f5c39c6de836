SELECT product_id FROM bronze.snowflake_products WHERE price_usd > (SELECT avg(price_usd) FROM bronze.snowflake_products)
