-- a scalar subquery inside a JOIN's ON condition (was a use-after-free: the tentative key sides
-- were freed while their subquery stayed registered)
SELECT p.product_id, q.price_usd
FROM bronze.snowflake_products p
LEFT JOIN bronze.snowflake_products q
  ON q.product_id = p.product_id AND q.price_usd = (SELECT max(price_usd) FROM bronze.snowflake_products)
