SELECT c.customer_id, c.country FROM bronze.snowflake_customers c WHERE EXISTS (SELECT 1 FROM bronze.snowflake_orders o WHERE o.customer_id = c.customer_id AND o.total_amount > 1000)
