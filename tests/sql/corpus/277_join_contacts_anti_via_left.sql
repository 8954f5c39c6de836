SELECT count(*) FROM bronze.crm_contacts c LEFT JOIN bronze.crm_accounts a ON c.account_id = a.id WHERE a.id IS NULL
