SELECT order_id, ROW_NUMBER() OVER (ORDER BY total_amount DESC, order_id) AS rn FROM bronze.snowflake_orders
