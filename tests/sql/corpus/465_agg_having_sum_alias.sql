SELECT currency, sum(total_amount) AS s FROM bronze.snowflake_orders GROUP BY currency HAVING sum(total_amount) > 10000 AND count(*) > 50
