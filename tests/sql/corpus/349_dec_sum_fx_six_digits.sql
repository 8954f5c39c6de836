SELECT quote, sum(rate) AS s, avg(rate) AS a, min(bid) AS mb, max(ask) AS ma FROM bronze.fx_rates GROUP BY quote
