SELECT DISTINCT v FROM (SELECT currency AS v FROM bronze.snowflake_orders UNION ALL SELECT currency_iso_code FROM bronze.crm_opportunities) t
