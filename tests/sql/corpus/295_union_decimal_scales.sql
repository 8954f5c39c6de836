SELECT probability AS v FROM bronze.crm_opportunities WHERE id < 'OPP-00000020' UNION ALL SELECT rate FROM bronze.fx_rates WHERE rate_date = DATE '2024-01-02'
