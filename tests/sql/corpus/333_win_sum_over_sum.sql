SELECT status, sum(total_amount) AS s, sum(sum(total_amount)) OVER () AS grand FROM bronze.snowflake_orders GROUP BY status
