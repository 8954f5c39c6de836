SELECT id, date_diff('day', CAST(created_date AS DATE), close_date) AS days, datediff('month', created_date, last_modified_date) AS months FROM bronze.crm_opportunities
