-- gold.fact_orders (materialized: table, partitioned by order_month): one row per order of
-- silver.orders with its amounts converted to USD at the FX rate as of the order date.
--   FX as of order_date: silver.fx_rates has every calendar day from a currency's first to its
--     last vendor date (weekends and gaps carried forward), so the rate is the row at
--     least(order_date, the currency's last rate_date): an order dated after the series ends
--     (the vendor publishes up to yesterday) takes the latest rate; an order dated before the
--     currency's first rate finds no row and gets fx_rate and amount_usd NULL (never a guess).
--     fx_rate_date is the vendor day the rate comes from (silver source_date). USD is 1 on
--     every day (fx_rate_date = order_date).
--   amount_usd = total_amount * fx_rate rounded half away from zero to the cent, as
--     DECIMAL(18,2): a double product cast once to decimal is the same in DuckDB, Spark and
--     medallion, and decimal sums downstream are exact, so the gold totals tie out to the cent.
--   Surrogate keys: the CURRENT version of gold.dim_customer / gold.dim_product (is_current);
--     -1 when the customer or product is not in the dimension (orphans). The dimensions'
--     first versions start at their first build, so an as-of join on order_ts would miss
--     every order older than that build.
--   order_month: first day of the order's month (DATE), the partition column.
WITH fx_last AS (
    SELECT currency, max(rate_date) AS last_rate_date
    FROM silver.fx_rates
    GROUP BY currency
),
priced AS (
    SELECT o.*,
           CASE WHEN o.currency = 'USD' THEN CAST(1 AS DOUBLE) ELSE r.usd_rate END AS fx_rate,
           CASE WHEN o.currency = 'USD' THEN o.order_date ELSE r.source_date END AS fx_rate_date
    FROM silver.orders o
    LEFT JOIN fx_last l ON l.currency = o.currency
    LEFT JOIN silver.fx_rates r
           ON r.currency = o.currency AND r.rate_date = least(o.order_date, l.last_rate_date)
)
SELECT p.order_id,
       p.customer_id,
       coalesce(dc.customer_sk, CAST(-1 AS BIGINT)) AS customer_sk,
       p.product_id,
       coalesce(dp.product_sk, CAST(-1 AS BIGINT)) AS product_sk,
       p.order_date,
       p.order_ts,
       p.quantity,
       p.unit_price,
       p.discount_pct,
       p.tax_amount,
       p.shipping_cost,
       p.total_amount,
       p.currency,
       p.fx_rate,
       p.fx_rate_date,
       CAST(p.total_amount * p.fx_rate AS DECIMAL(18,2)) AS amount_usd,
       p.payment_method,
       p.status,
       p.channel,
       CAST(date_trunc('month', p.order_date) AS DATE) AS order_month
FROM priced p
LEFT JOIN gold.dim_customer dc ON dc.customer_id = p.customer_id AND dc.is_current
LEFT JOIN gold.dim_product dp ON dp.product_id = p.product_id AND dp.is_current
