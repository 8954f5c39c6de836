-- ordered
SELECT id, close_date FROM bronze.crm_opportunities ORDER BY close_date DESC NULLS FIRST, id
