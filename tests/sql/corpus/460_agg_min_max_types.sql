SELECT min(order_id) AS a, max(order_id) AS b, min(order_ts) AS c, max(order_date) AS d, min(total_amount) AS e, max(CAST(total_amount AS DOUBLE)) AS f FROM bronze.snowflake_orders
