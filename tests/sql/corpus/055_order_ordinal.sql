-- ordered
SELECT status, count(*) FROM bronze.snowflake_orders GROUP BY status ORDER BY 2 DESC, 1
