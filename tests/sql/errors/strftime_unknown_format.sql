-- error: line 2 column 8: strftime: unsupported specifier '%e'
SELECT strftime(order_date, '%e') FROM bronze.snowflake_orders
