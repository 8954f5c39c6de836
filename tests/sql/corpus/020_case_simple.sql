SELECT order_id, CASE currency WHEN 'USD' THEN 1 WHEN 'EUR' THEN 2 ELSE 0 END AS c FROM bronze.snowflake_orders
