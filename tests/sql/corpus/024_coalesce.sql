SELECT order_id, COALESCE(discount_pct, 0) AS d FROM bronze.snowflake_orders
