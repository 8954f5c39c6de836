SELECT customer_id FROM bronze.snowflake_customers UNION ALL SELECT id FROM bronze.crm_accounts
