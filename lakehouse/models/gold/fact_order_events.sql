-- gold.fact_order_events (materialized: table): one row per order lifecycle event of
-- silver.order_events, its amount converted to USD with the same as-of FX rule as
-- gold.fact_orders, applied on the event date: the silver.fx_rates row at
-- least(event_date, the currency's last rate_date); NULL before the currency's first rate;
-- USD is 1. amount_usd = amount * fx_rate rounded to the cent (DECIMAL(18,2)).
-- customer_sk is the customer's CURRENT gold.dim_customer version (-1 when unknown), as in
-- fact_orders. order_date is the order's date from silver.orders (NULL for an event whose
-- order is not, or no longer, in silver.orders). event_month is the first day of the
-- event's month.
WITH fx_last AS (
    SELECT currency, max(rate_date) AS last_rate_date
    FROM silver.fx_rates
    GROUP BY currency
),
priced AS (
    SELECT e.*,
           CASE WHEN e.currency = 'USD' THEN CAST(1 AS DOUBLE) ELSE r.usd_rate END AS fx_rate,
           CASE WHEN e.currency = 'USD' THEN e.event_date ELSE r.source_date END AS fx_rate_date
    FROM silver.order_events e
    LEFT JOIN fx_last l ON l.currency = e.currency
    LEFT JOIN silver.fx_rates r
           ON r.currency = e.currency AND r.rate_date = least(e.event_date, l.last_rate_date)
)
SELECT p.event_id,
       p.order_id,
       p.customer_id,
       coalesce(dc.customer_sk, CAST(-1 AS BIGINT)) AS customer_sk,
       p.event_type,
       p.event_ts,
       p.event_date,
       p.amount,
       p.currency,
       p.fx_rate,
       p.fx_rate_date,
       CAST(p.amount * p.fx_rate AS DECIMAL(18,2)) AS amount_usd,
       p.channel,
       o.order_date,
       CAST(date_trunc('month', p.event_date) AS DATE) AS event_month
FROM priced p
LEFT JOIN silver.orders o ON o.order_id = p.order_id
LEFT JOIN gold.dim_customer dc ON dc.customer_id = p.customer_id AND dc.is_current
