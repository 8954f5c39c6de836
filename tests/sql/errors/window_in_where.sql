-- error: window_in_where.sql:2:52: window function row_number is not allowed here
SELECT order_id FROM bronze.snowflake_orders WHERE ROW_NUMBER() OVER (ORDER BY order_id) = 1
