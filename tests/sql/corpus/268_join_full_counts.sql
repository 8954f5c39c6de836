SELECT count(*) AS n, count(a.id) AS l, count(c.customer_id) AS r FROM bronze.crm_accounts a FULL OUTER JOIN (SELECT * FROM bronze.snowflake_customers WHERE age > 40) c ON a.id = c.customer_id
