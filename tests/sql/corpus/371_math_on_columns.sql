SELECT product_id, sqrt(price_usd) AS s, ln(price_usd) AS l, power(price_usd, 2) AS p2 FROM bronze.snowflake_products WHERE price_usd > 0
