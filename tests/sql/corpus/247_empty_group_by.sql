SELECT currency, count(*) FROM bronze.snowflake_orders WHERE quantity > 100 GROUP BY currency
