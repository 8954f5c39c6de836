-- silver.products: one row per product, its latest version by updated_at (ties: the latest
-- ingestion, then the greatest source file name), strings trimmed, category in
-- UPPER_SNAKE_CASE (subcategory and brand are names, kept as delivered), prices in USD.
SELECT product_id,
       trim(sku) AS sku,
       trim(product_name) AS product_name,
       upper(replace(trim(category), ' ', '_')) AS category,
       trim(subcategory) AS subcategory,
       trim(brand) AS brand,
       price_usd,
       cost_usd,
       active AS is_active,
       stock_quantity,
       created_at,
       updated_at
FROM (
    SELECT *
    FROM (
        SELECT *,
               ROW_NUMBER() OVER (PARTITION BY product_id
                                  ORDER BY updated_at DESC, _ingestion_ts DESC,
                                           _source_file DESC) AS rn
        FROM bronze.snowflake_products
    ) versions
    WHERE rn = 1
) latest
