SELECT customer_id, age IS DISTINCT FROM NULL AS a, age IS NOT DISTINCT FROM NULL AS b, age IS DISTINCT FROM 30 AS c FROM bronze.snowflake_customers
