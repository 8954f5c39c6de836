SELECT customer_id, count(*) AS n FROM bronze.snowflake_orders GROUP BY customer_id HAVING count(*) > 3
