SELECT currency, sum(total_amount) AS s, RANK() OVER (ORDER BY sum(total_amount) DESC) AS r FROM bronze.snowflake_orders GROUP BY currency
