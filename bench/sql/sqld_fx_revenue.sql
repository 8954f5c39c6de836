-- (d) revenue by currency x day in USD: every order joined to its day's USD rate
-- (bronze.fx_rates: units of quote per USD), summed per order currency and order date.
-- USD orders, weekend orders and the few future-dated ones have no USD rate that day and
-- drop out of the inner join.
SELECT o.currency,
       o.order_date,
       count(*) AS orders,
       sum(o.total_amount) AS revenue,
       sum(CAST(o.total_amount AS DOUBLE) / CAST(f.rate AS DOUBLE)) AS revenue_usd
FROM bronze.snowflake_orders o
JOIN bronze.fx_rates f
  ON f.quote = o.currency AND f.rate_date = o.order_date AND f.base = 'USD'
GROUP BY o.currency, o.order_date
