WITH a AS (SELECT customer_id, count(*) AS n FROM bronze.snowflake_orders GROUP BY customer_id), b AS (SELECT n, count(*) AS k FROM a GROUP BY n) SELECT * FROM b
