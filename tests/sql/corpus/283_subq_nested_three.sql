SELECT currency, n FROM (SELECT currency, n FROM (SELECT currency, count(*) AS n FROM (SELECT * FROM bronze.snowflake_orders WHERE quantity > 1) a GROUP BY currency) b WHERE n > 10) c
