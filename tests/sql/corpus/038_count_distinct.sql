SELECT count(DISTINCT customer_id), count(DISTINCT currency) FROM bronze.snowflake_orders
