-- ordered
SELECT customer_id, CAST(age AS DOUBLE) / 7 AS x FROM bronze.snowflake_customers ORDER BY x ASC NULLS FIRST, customer_id LIMIT 120
