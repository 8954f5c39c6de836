SELECT order_id, total_amount FROM bronze.snowflake_orders WHERE customer_id IN (SELECT customer_id FROM bronze.snowflake_customers WHERE country = 'US') AND quantity > 1
