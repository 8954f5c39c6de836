-- ordered
SELECT product_id, price_usd, cost_usd FROM bronze.snowflake_products ORDER BY price_usd - cost_usd DESC, product_id
