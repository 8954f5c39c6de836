SELECT order_id, CASE WHEN total_amount >= 1000 THEN 'high' WHEN total_amount >= 200 THEN 'mid' ELSE 'low' END AS band FROM bronze.snowflake_orders
