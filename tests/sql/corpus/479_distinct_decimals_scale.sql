SELECT DISTINCT round(discount_pct, 0) AS d FROM bronze.snowflake_orders
