-- gold.product_performance (materialized: table): one row per product with its sales from
-- gold.fact_orders, zero-filled.
--   Rows: every current version of gold.dim_product (is_orphan false), plus one row per
--     product_id that has orders but no current dimension version (is_orphan true,
--     product_sk -1, no attributes), so that sum(revenue_usd) = sum(gold.fact_orders.amount_usd)
--     to the cent.
--   Sales: all orders, every status (as fact_orders): order_count, units_sold = sum(quantity),
--     revenue_usd = sum(amount_usd) (0 without orders), avg_order_value_usd = avg(amount_usd)
--     over the orders that have one, rounded to the cent (NULL without orders),
--     first_sale_date / last_sale_date = min / max order_date (NULL without orders).
WITH products AS (
    SELECT product_id, product_sk, product_name, category, price_usd, is_active,
           FALSE AS is_orphan
    FROM gold.dim_product
    WHERE is_current
    UNION ALL
    SELECT DISTINCT product_id, CAST(-1 AS BIGINT) AS product_sk, CAST(NULL AS VARCHAR),
           CAST(NULL AS VARCHAR), CAST(NULL AS DECIMAL(18,2)), CAST(NULL AS BOOLEAN), TRUE
    FROM gold.fact_orders
    WHERE product_sk = -1
),
sales AS (
    SELECT product_id,
           count(*) AS order_count,
           sum(quantity) AS units_sold,
           sum(amount_usd) AS revenue_usd,
           avg(amount_usd) AS avg_usd,
           min(order_date) AS first_sale_date,
           max(order_date) AS last_sale_date
    FROM gold.fact_orders
    GROUP BY product_id
)
SELECT p.product_id,
       p.product_sk,
       p.is_orphan,
       p.product_name,
       p.category,
       p.price_usd,
       p.is_active,
       coalesce(s.order_count, 0) AS order_count,
       CAST(coalesce(s.units_sold, 0) AS BIGINT) AS units_sold,
       CAST(coalesce(s.revenue_usd, 0) AS DECIMAL(18,2)) AS revenue_usd,
       CAST(s.avg_usd AS DECIMAL(18,2)) AS avg_order_value_usd,
       s.first_sale_date,
       s.last_sale_date
FROM products p
LEFT JOIN sales s ON s.product_id = p.product_id
