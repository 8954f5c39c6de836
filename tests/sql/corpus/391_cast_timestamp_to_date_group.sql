SELECT CAST(order_ts AS DATE) = order_date AS same, count(*) AS n FROM bronze.snowflake_orders GROUP BY CAST(order_ts AS DATE) = order_date
