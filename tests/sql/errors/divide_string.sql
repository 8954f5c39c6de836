-- error: divide_string.sql:2:17: function / does not accept (string, int32)
SELECT order_id / 2 FROM bronze.snowflake_orders
