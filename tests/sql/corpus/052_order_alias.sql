-- ordered
SELECT currency, count(*) AS n FROM bronze.snowflake_orders GROUP BY currency ORDER BY n DESC, currency
