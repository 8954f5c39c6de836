SELECT a.product_id, b.product_id AS p2 FROM bronze.snowflake_products a JOIN bronze.snowflake_products b ON a.price_usd < b.price_usd AND b.price_usd < a.price_usd + 1
