-- ordered
SELECT id, contact_id FROM bronze.crm_opportunities ORDER BY contact_id DESC NULLS LAST, id LIMIT 30
