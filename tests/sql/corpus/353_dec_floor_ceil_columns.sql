SELECT rate_date, quote, floor(rate) AS f, ceil(rate) AS c, floor(-rate) AS nf, ceiling(-rate) AS nc FROM bronze.fx_rates WHERE rate_date < DATE '2024-01-10'
