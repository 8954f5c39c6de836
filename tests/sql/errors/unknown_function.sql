-- error: lowr
SELECT lowr(currency) FROM bronze.snowflake_orders
