-- error: conditions on the outer query inside EXISTS must be equalities
SELECT count(*) FROM bronze.snowflake_products p WHERE EXISTS (SELECT 1 FROM bronze.snowflake_orders o WHERE o.unit_price > p.price_usd)
