WITH big AS (SELECT * FROM bronze.snowflake_orders WHERE total_amount > 500) SELECT currency, count(*) FROM big GROUP BY currency
