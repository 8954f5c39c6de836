-- error: compare_string_int.sql:2:61: =: no common type for string and int32: add an explicit CAST
SELECT order_id FROM bronze.snowflake_orders WHERE order_id = 5
