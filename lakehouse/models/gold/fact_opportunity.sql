-- gold.fact_opportunity (materialized: table): one row per CRM opportunity of
-- silver.opportunities, open ones included (close_date and close_month NULL while open; the
-- original system required a close date and failed on every open deal).
--   FX:        amount_usd = amount * usd_rate, the silver.fx_rates USD multiplier of the
--              opportunity's currency on its created date. The date is clamped into that
--              currency's rate series, least(greatest(created_date, first_rate_date),
--              last_rate_date): a deal created before the first published rate takes the
--              first one, a deal created after the vendor's last date takes the last one.
--              USD is 1.0 always. A currency with no rates at all (or no created date) gives
--              NULL usd_rate and amount_usd (never a wrong number). Rounded to cents.
--   expected:  expected_amount_usd = amount_usd * probability / 100, exact decimal arithmetic,
--              rounded to cents (half away from zero).
-- Dimension keys are the business keys account_id and contact_id: join gold.dim_account /
-- gold.dim_contact with is_current, or as of created_date with valid_from/valid_to.
WITH fx_bounds AS (
    SELECT currency, min(rate_date) AS first_rate_date, max(rate_date) AS last_rate_date
    FROM silver.fx_rates
    GROUP BY currency
),
opps AS (
    SELECT o.opportunity_id, o.account_id, o.contact_id, o.opportunity_name, o.stage,
           o.is_closed, o.is_won, o.amount, o.currency, o.probability, o.close_date,
           o.lead_source, o.opportunity_type, o.forecast_category, o.created_at, o.updated_at,
           CAST(o.created_at AS DATE) AS created_date,
           least(greatest(CAST(o.created_at AS DATE), b.first_rate_date), b.last_rate_date)
               AS fx_rate_date
    FROM silver.opportunities o
    LEFT JOIN fx_bounds b ON b.currency = o.currency
),
converted AS (
    SELECT p.*,
           CASE WHEN p.currency = 'USD' THEN CAST(1 AS DOUBLE) ELSE r.usd_rate END AS usd_rate,
           CAST(p.amount * CASE WHEN p.currency = 'USD' THEN CAST(1 AS DOUBLE) ELSE r.usd_rate END
                AS DECIMAL(18,2)) AS amount_usd
    FROM opps p
    LEFT JOIN silver.fx_rates r ON r.currency = p.currency AND r.rate_date = p.fx_rate_date
)
SELECT opportunity_id,
       account_id,
       contact_id,
       opportunity_name,
       stage,
       is_closed,
       is_won,
       NOT is_closed AS is_open,
       amount,
       currency,
       usd_rate,
       CASE WHEN currency = 'USD' THEN created_date ELSE fx_rate_date END AS fx_rate_date,
       amount_usd,
       probability,
       CAST(amount_usd * probability * 0.01 AS DECIMAL(18,2)) AS expected_amount_usd,
       created_date,
       close_date,
       CAST(date_trunc('month', close_date) AS DATE) AS close_month,
       lead_source,
       opportunity_type,
       forecast_category,
       created_at,
       updated_at
FROM converted
