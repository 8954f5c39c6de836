SELECT currency, status, count(*) FROM bronze.snowflake_orders GROUP BY currency, status
