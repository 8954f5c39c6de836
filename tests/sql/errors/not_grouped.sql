-- error: must appear in GROUP BY
SELECT currency, status, count(*) FROM bronze.snowflake_orders GROUP BY currency
