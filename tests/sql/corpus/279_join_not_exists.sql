SELECT c.customer_id FROM bronze.snowflake_customers c WHERE NOT EXISTS (SELECT 1 FROM bronze.snowflake_orders o WHERE o.customer_id = c.customer_id)
