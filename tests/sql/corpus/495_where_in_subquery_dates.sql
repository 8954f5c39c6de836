SELECT count(*) FROM bronze.snowflake_orders WHERE order_date IN (SELECT rate_date FROM bronze.fx_rates WHERE quote = 'EUR')
