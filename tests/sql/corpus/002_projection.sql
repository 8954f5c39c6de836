SELECT product_id, category, price_usd FROM bronze.snowflake_products
