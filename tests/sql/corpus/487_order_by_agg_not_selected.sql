-- ordered
SELECT currency FROM bronze.snowflake_orders GROUP BY currency ORDER BY sum(total_amount) DESC
