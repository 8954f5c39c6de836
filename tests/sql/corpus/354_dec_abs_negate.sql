SELECT order_id, abs(-total_amount) AS a, -total_amount AS n, abs(total_amount - 500) AS d FROM bronze.snowflake_orders
