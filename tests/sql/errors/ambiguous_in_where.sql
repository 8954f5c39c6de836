-- error: ambiguous_in_where.sql:2:123: column reference 'customer_id' is ambiguous (in 'o' and 'c'); qualify it
SELECT o.order_id FROM bronze.snowflake_orders o JOIN bronze.snowflake_customers c ON o.customer_id = c.customer_id WHERE customer_id = 'CUST-000001'
