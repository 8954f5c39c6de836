-- ordered
SELECT currency AS c, quantity AS n FROM bronze.snowflake_orders WHERE quantity = 5 UNION ALL SELECT currency_iso_code, 0 FROM bronze.crm_opportunities ORDER BY c, n, 1 LIMIT 25
