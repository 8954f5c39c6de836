SELECT a.id, c.customer_id FROM bronze.crm_accounts a JOIN bronze.snowflake_customers c ON lower(a.id) = lower(c.customer_id) WHERE c.age > 70
