WITH per AS (SELECT customer_id, count(*) AS n FROM bronze.snowflake_orders GROUP BY customer_id), top AS (SELECT max(n) AS m FROM per) SELECT per.customer_id FROM per JOIN top ON per.n = top.m
