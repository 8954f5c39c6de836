SELECT product_id, CAST(ROW_NUMBER() OVER (ORDER BY price_usd, product_id) * 4 / 100 AS INTEGER) AS bucket FROM bronze.snowflake_products
