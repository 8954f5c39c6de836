SELECT order_id, CASE WHEN quantity > 2 THEN total_amount WHEN quantity = 1 THEN 0 ELSE discount_pct END AS v FROM bronze.snowflake_orders
