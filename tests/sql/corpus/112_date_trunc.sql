SELECT date_trunc('month', order_date) AS m, count(*) FROM bronze.snowflake_orders GROUP BY 1
