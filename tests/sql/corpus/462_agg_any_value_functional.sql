SELECT customer_id, any_value(country) AS country, count(*) AS n FROM bronze.snowflake_customers GROUP BY customer_id
