SELECT currency, count(*) FROM bronze.snowflake_orders WHERE customer_id IN (SELECT customer_id FROM bronze.snowflake_orders GROUP BY customer_id HAVING count(*) >= 3) GROUP BY currency
