-- error: sum_of_string.sql:2:8: sum of a string: sum takes a number
SELECT sum(order_id) FROM bronze.snowflake_orders
