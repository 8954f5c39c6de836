SELECT status FROM bronze.snowflake_orders GROUP BY status HAVING max(quantity) = 5 AND min(total_amount) < 50
