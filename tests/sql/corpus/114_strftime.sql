SELECT strftime(order_date, '%Y-%m') AS ym, count(*) FROM bronze.snowflake_orders GROUP BY 1
