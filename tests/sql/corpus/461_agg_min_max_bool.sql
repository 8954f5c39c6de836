SELECT min(is_won) AS a, max(is_won) AS b, min(active) AS c, max(active) AS d FROM bronze.crm_opportunities CROSS JOIN (SELECT min(active) AS active FROM bronze.snowflake_products) p
