WITH a AS (SELECT customer_id, age FROM bronze.snowflake_customers), b AS (SELECT x.customer_id FROM a x JOIN a y ON x.customer_id = y.customer_id WHERE x.age > 65) SELECT count(*) FROM b
