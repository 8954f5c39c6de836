-- ordered
SELECT rate_date, quote, rate FROM bronze.fx_rates WHERE rate_date < DATE '2024-01-05' ORDER BY quote ASC, rate DESC, rate_date
