-- ordered
SELECT customer_id, age * 2 AS dbl FROM bronze.snowflake_customers ORDER BY dbl DESC NULLS LAST, customer_id
