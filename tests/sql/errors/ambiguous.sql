-- error: ambiguous
SELECT customer_id FROM bronze.snowflake_orders o JOIN bronze.snowflake_customers c ON o.customer_id = c.customer_id
