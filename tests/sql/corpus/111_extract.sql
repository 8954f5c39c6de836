SELECT extract(year FROM order_date) AS y, count(*) FROM bronze.snowflake_orders GROUP BY 1
