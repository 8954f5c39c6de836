SELECT stage_name, sum(amount * probability / 100) AS weighted, sum(amount) AS total FROM bronze.crm_opportunities GROUP BY stage_name
