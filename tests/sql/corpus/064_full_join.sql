SELECT a.id, c.customer_id FROM bronze.crm_accounts a FULL JOIN bronze.snowflake_customers c ON a.id = c.customer_id
