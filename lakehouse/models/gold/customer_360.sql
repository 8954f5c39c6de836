-- gold.customer_360 (materialized: table): one row per customer, everything known about it
-- in one place.
--   Rows: every current version of gold.dim_customer (is_orphan false), plus one row per
--     customer_id that has orders in gold.fact_orders but no current dimension version
--     (is_orphan true, customer_sk -1, no attributes), so that
--     sum(total_spend_usd) = sum(gold.fact_orders.amount_usd) to the cent.
--   Orders: all of the customer's orders in gold.fact_orders, every status (as fact_orders);
--     total_spend_usd = sum(amount_usd) (orders without an FX rate add nothing), 0 without
--     orders.
--   recency_days: days from last_order_date to the reference date recency_as_of, the latest
--     order_date in gold.fact_orders (not current_date: the same data always gives the same
--     table, whenever it is built).
--   sessions: distinct session_id of the customer in silver.customer_behavior.
--   CRM: account i is customer i (silver.accounts.account_id = customer_id): crm_segment and
--     crm_region are the account's customer_segment and geographic_region;
--     open_pipeline_usd is the sum over the account's open opportunities (is_closed false) of
--     amount * the currency's latest silver.fx_rates rate (USD 1), each rounded to the cent.
--   value_segment by total_spend_usd: PLATINUM >= 10000, GOLD >= 2500, SILVER >= 500,
--     BRONZE > 0, NONE otherwise (thresholds: docs/models.md).
WITH customers AS (
    SELECT customer_id, customer_sk, country, customer_segment, registration_date,
           FALSE AS is_orphan
    FROM gold.dim_customer
    WHERE is_current
    UNION ALL
    SELECT DISTINCT customer_id, CAST(-1 AS BIGINT) AS customer_sk, CAST(NULL AS VARCHAR),
           CAST(NULL AS VARCHAR), CAST(NULL AS DATE), TRUE
    FROM gold.fact_orders
    WHERE customer_sk = -1
),
orders AS (
    SELECT customer_id,
           count(*) AS order_count,
           sum(amount_usd) AS spend_usd,
           min(order_date) AS first_order_date,
           max(order_date) AS last_order_date
    FROM gold.fact_orders
    GROUP BY customer_id
),
reference AS (
    SELECT max(order_date) AS as_of FROM gold.fact_orders
),
sessions AS (
    SELECT customer_id, count(DISTINCT session_id) AS sessions
    FROM silver.customer_behavior
    GROUP BY customer_id
),
fx_latest AS (
    SELECT r.currency, r.usd_rate
    FROM silver.fx_rates r
    INNER JOIN (SELECT currency, max(rate_date) AS last_rate_date
                FROM silver.fx_rates GROUP BY currency) l
            ON l.currency = r.currency AND l.last_rate_date = r.rate_date
),
pipeline AS (
    SELECT p.account_id,
           sum(CAST(p.amount * CASE WHEN p.currency = 'USD' THEN CAST(1 AS DOUBLE)
                                    ELSE f.usd_rate END AS DECIMAL(18,2))) AS open_usd
    FROM silver.opportunities p
    LEFT JOIN fx_latest f ON f.currency = p.currency
    WHERE p.is_closed = FALSE
    GROUP BY p.account_id
),
joined AS (
    SELECT c.customer_id, c.customer_sk, c.is_orphan, c.country, c.customer_segment,
           c.registration_date, a.customer_segment AS crm_segment,
           a.geographic_region AS crm_region,
           coalesce(o.order_count, 0) AS order_count,
           CAST(coalesce(o.spend_usd, 0) AS DECIMAL(18,2)) AS total_spend_usd,
           o.first_order_date, o.last_order_date,
           date_diff('day', o.last_order_date, r.as_of) AS recency_days,
           r.as_of AS recency_as_of,
           coalesce(s.sessions, 0) AS sessions,
           CAST(coalesce(p.open_usd, 0) AS DECIMAL(18,2)) AS open_pipeline_usd
    FROM customers c
    CROSS JOIN reference r
    LEFT JOIN orders o ON o.customer_id = c.customer_id
    LEFT JOIN sessions s ON s.customer_id = c.customer_id
    LEFT JOIN silver.accounts a ON a.account_id = c.customer_id
    LEFT JOIN pipeline p ON p.account_id = c.customer_id
)
SELECT customer_id, customer_sk, is_orphan, country, customer_segment, registration_date,
       crm_segment, crm_region, order_count, total_spend_usd, first_order_date,
       last_order_date, recency_days, recency_as_of, sessions, open_pipeline_usd,
       CASE WHEN total_spend_usd >= 10000 THEN 'PLATINUM'
            WHEN total_spend_usd >= 2500 THEN 'GOLD'
            WHEN total_spend_usd >= 500 THEN 'SILVER'
            WHEN total_spend_usd > 0 THEN 'BRONZE'
            ELSE 'NONE' END AS value_segment
FROM joined
