-- ordered
SELECT currency AS c FROM bronze.snowflake_orders UNION ALL SELECT quote FROM bronze.fx_rates ORDER BY c LIMIT 50
