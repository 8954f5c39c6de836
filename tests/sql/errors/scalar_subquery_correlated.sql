-- error: a subquery here must not refer to the outer query
SELECT p.product_id, (SELECT count(*) FROM bronze.snowflake_orders o WHERE o.product_id = p.product_id) FROM bronze.snowflake_products p
