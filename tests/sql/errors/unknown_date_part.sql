-- error: line 2 column 8: date_trunc: unknown date part 'fortnight'
SELECT date_trunc('fortnight', order_date) FROM bronze.snowflake_orders
