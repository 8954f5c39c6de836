SELECT customer_id, age, age IN (30, NULL) AS i, age NOT IN (30, 40) AS n FROM bronze.snowflake_customers
