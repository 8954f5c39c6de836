SELECT order_id, SUM(total_amount) OVER (PARTITION BY status) AS s, total_amount / SUM(total_amount) OVER (PARTITION BY status) AS share FROM bronze.snowflake_orders
