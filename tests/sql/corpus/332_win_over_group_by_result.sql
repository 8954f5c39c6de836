SELECT currency, count(*) AS n, RANK() OVER (ORDER BY count(*) DESC) AS r FROM bronze.snowflake_orders GROUP BY currency
