-- silver.fx_rates: one row per (rate_date, currency) for every calendar day from the first to
-- the last rate date of bronze.fx_rates, with usd_rate = USD per one unit of currency
-- (amount * usd_rate = amount in USD).
--   quotes:  each bronze rate as a multiplier: base X / quote USD gives rate, base USD /
--            quote X gives 1 / rate (DOUBLE: one correctly rounded cast and one IEEE division,
--            the same bits in every engine). Cross rates (neither side USD) and rates <= 0 are
--            left out.
--   daily:   one rate per (date, currency): the latest ingestion wins; then the USD-based
--            quote; then the later landing file; then the larger rate (a total order).
--   days:    the day spine first..last date, from a digits cross join (no table functions);
--            100,000 days at most (273 years).
--   filled:  every currency on every day from its own first rate on, carrying the last known
--            rate forward over weekends and gaps (source_date = the day the rate is from,
--            is_filled = it is not this day's). USD is 1.0 every day.
WITH quotes AS (
    SELECT rate_date,
           CASE WHEN quote = 'USD' THEN base ELSE quote END AS currency,
           CASE WHEN quote = 'USD' THEN CAST(rate AS DOUBLE)
                ELSE 1 / CAST(rate AS DOUBLE) END AS usd_rate,
           CASE WHEN base = 'USD' THEN 1 ELSE 0 END AS usd_based,
           _ingestion_ts, _source_file
    FROM bronze.fx_rates
    WHERE rate > 0 AND base <> quote AND (base = 'USD' OR quote = 'USD')
),
daily AS (
    SELECT rate_date, currency, usd_rate
    FROM (
        SELECT rate_date, currency, usd_rate,
               ROW_NUMBER() OVER (PARTITION BY rate_date, currency
                                  ORDER BY _ingestion_ts DESC, usd_based DESC,
                                           _source_file DESC, usd_rate DESC) AS rn
        FROM quotes
    ) ranked
    WHERE rn = 1
),
bounds AS (
    SELECT min(rate_date) AS first_date, max(rate_date) AS last_date FROM daily
),
digits AS (
    SELECT 0 AS d UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
    UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9
),
offsets AS (
    SELECT d1.d + 10 * d2.d + 100 * d3.d + 1000 * d4.d + 10000 * d5.d AS n
    FROM digits d1 CROSS JOIN digits d2 CROSS JOIN digits d3 CROSS JOIN digits d4
         CROSS JOIN digits d5
),
days AS (
    SELECT date_add(b.first_date, o.n) AS day
    FROM offsets o CROSS JOIN bounds b
    WHERE date_add(b.first_date, o.n) <= b.last_date
),
currencies AS (
    SELECT DISTINCT currency FROM daily
),
grid AS (
    SELECT d.day, c.currency,
           max(q.rate_date) OVER (PARTITION BY c.currency ORDER BY d.day
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS source_date
    FROM days d
    CROSS JOIN currencies c
    LEFT JOIN daily q ON q.currency = c.currency AND q.rate_date = d.day
)
SELECT g.day AS rate_date, g.currency, q.usd_rate, g.source_date,
       g.source_date <> g.day AS is_filled
FROM grid g
INNER JOIN daily q ON q.currency = g.currency AND q.rate_date = g.source_date
UNION ALL
SELECT day AS rate_date, 'USD' AS currency, CAST(1 AS DOUBLE) AS usd_rate, day AS source_date,
       FALSE AS is_filled
FROM days
