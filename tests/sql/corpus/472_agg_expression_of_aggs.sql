SELECT currency, sum(total_amount) / count(*) AS mean, max(total_amount) - min(total_amount) AS spread, count(*) * 2 AS dbl FROM bronze.snowflake_orders GROUP BY currency
