SELECT count(*) FROM bronze.snowflake_products WHERE EXISTS (SELECT 1 FROM bronze.fx_rates WHERE quote = 'CHF')
