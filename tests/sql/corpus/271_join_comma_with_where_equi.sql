SELECT o.order_id, c.country FROM bronze.snowflake_orders o, bronze.snowflake_customers c WHERE o.customer_id = c.customer_id AND o.quantity = 5
