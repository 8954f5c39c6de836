SELECT count(*) AS a, count(channel) AS b, count(DISTINCT channel) AS c, count(DISTINCT customer_id) AS d, count(1) AS e FROM bronze.snowflake_orders
