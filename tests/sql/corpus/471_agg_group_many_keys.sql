SELECT currency, status, channel, payment_method, count(*) AS n FROM bronze.snowflake_orders GROUP BY currency, status, channel, payment_method
