SELECT customer_id, coalesce(nullif(age, 30), nullif(age, 31), -1) AS a, nullif(coalesce(age, 0), 0) AS b FROM bronze.snowflake_customers
