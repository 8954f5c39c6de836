-- ordered
SELECT currency AS cur, status, count(*) AS n FROM bronze.snowflake_orders GROUP BY currency, status ORDER BY 1, 2
