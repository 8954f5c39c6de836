SELECT t.currency, t.n FROM (SELECT currency, count(*) AS n FROM bronze.snowflake_orders GROUP BY currency) t WHERE t.n > 10
