SELECT id, coalesce(amount, probability, 0) AS v FROM bronze.crm_opportunities
