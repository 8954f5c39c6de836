-- error: wrong_arg_count_substring.sql:2:8: function substring takes 2 to 3 arguments, not 1
SELECT substring(order_id) FROM bronze.snowflake_orders
