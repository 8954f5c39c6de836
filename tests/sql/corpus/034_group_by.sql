SELECT currency, count(*) AS n, sum(total_amount) AS total FROM bronze.snowflake_orders GROUP BY currency
