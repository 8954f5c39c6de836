SELECT count(*) FROM bronze.snowflake_products WHERE active AND price_usd > 100
