SELECT round(total_amount, 0), round(total_amount / 3, 2) FROM bronze.snowflake_orders
