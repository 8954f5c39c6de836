-- gold.dim_date (materialized: table): one row per calendar day, from January 1 of the year of
-- the earliest fact date to December 31 of the year of the latest one. Fact dates are the
-- order dates (silver.orders order_date) and the opportunities' created and close dates
-- (silver.opportunities), so every date key of fact_orders and fact_opportunity finds its day.
--   spine:    a digits cross join (0-99,999 day offsets, no table functions) added to the first
--             day with date_add, as in silver.fx_rates.
--   weekday:  day_of_week is ISO 8601, 1 = Monday .. 7 = Sunday, derived from dayofweek
--             (DuckDB and medallion: 0 = Sunday .. 6 = Saturday; Spark's dayofweek differs).
--   week:     week_of_year is the ISO 8601 week (extract(week ...), Monday-based, week 1 holds
--             the year's first Thursday); iso_year is the year that week belongs to: the year
--             of the week's Thursday (2024-12-30 is week 1 of 2025).
WITH fact_dates AS (
    SELECT order_date AS d FROM silver.orders
    UNION ALL
    SELECT CAST(created_at AS DATE) AS d FROM silver.opportunities
    UNION ALL
    SELECT close_date AS d FROM silver.opportunities
),
bounds AS (
    SELECT CAST(date_trunc('year', min(d)) AS DATE) AS first_day,
           date_add(CAST(date_trunc('year', max(d)) AS DATE), 400) AS after_last
    FROM fact_dates
),
last_day AS (
    SELECT first_day,
           date_add(CAST(date_trunc('year', after_last) AS DATE), -1) AS last_day
    FROM bounds
),
digits AS (
    SELECT 0 AS n UNION ALL SELECT 1 UNION ALL SELECT 2 UNION ALL SELECT 3 UNION ALL SELECT 4
    UNION ALL SELECT 5 UNION ALL SELECT 6 UNION ALL SELECT 7 UNION ALL SELECT 8 UNION ALL SELECT 9
),
offsets AS (
    SELECT d1.n + 10 * d2.n + 100 * d3.n + 1000 * d4.n + 10000 * d5.n AS n
    FROM digits d1 CROSS JOIN digits d2 CROSS JOIN digits d3 CROSS JOIN digits d4
         CROSS JOIN digits d5
),
days AS (
    SELECT date_add(b.first_day, o.n) AS d
    FROM offsets o CROSS JOIN last_day b
    WHERE date_add(b.first_day, o.n) <= b.last_day
),
parts AS (
    SELECT d,
           CAST(year(d) AS INTEGER) AS y,
           CAST(month(d) AS INTEGER) AS m,
           CAST(day(d) AS INTEGER) AS dom,
           CAST(CASE WHEN dayofweek(d) = 0 THEN 7 ELSE dayofweek(d) END AS INTEGER) AS iso_dow
    FROM days
)
SELECT y * 10000 + m * 100 + dom AS date_sk,
       d AS "date",
       y AS "year",
       CAST(quarter(d) AS INTEGER) AS quarter,
       m AS "month",
       strftime(d, '%B') AS month_name,
       dom AS "day",
       iso_dow AS day_of_week,
       strftime(d, '%A') AS day_name,
       iso_dow >= 6 AS is_weekend,
       CAST(dayofyear(d) AS INTEGER) AS day_of_year,
       CAST(extract(week FROM d) AS INTEGER) AS week_of_year,
       CAST(year(date_add(d, 4 - iso_dow)) AS INTEGER) AS iso_year,
       CAST(date_trunc('month', d) AS DATE) AS first_day_of_month
FROM parts
ORDER BY date_sk
