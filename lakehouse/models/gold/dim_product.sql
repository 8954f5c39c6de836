-- gold.dim_product (materialized: scd2): the current state of every product in the catalogue,
-- one row per product_id, read from silver.products. `medallion build` versions it on the
-- tracked columns (contract scd2.tracked) and fills product_sk, valid_from, valid_to and
-- is_current. stock_quantity is left out: it changes all the time, belongs to inventory facts,
-- and as an untracked column it would only show the stock of the day the version opened.
SELECT product_id,
       sku,
       product_name,
       category,
       subcategory,
       brand,
       price_usd,
       cost_usd,
       is_active,
       created_at,
       updated_at
FROM silver.products
