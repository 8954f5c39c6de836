SELECT date_trunc('week', order_ts) AS w, count(*) AS n FROM bronze.snowflake_orders GROUP BY 1
