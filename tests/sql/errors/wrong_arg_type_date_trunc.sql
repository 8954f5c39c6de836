-- error: wrong_arg_type_date_trunc.sql:2:8: function date_trunc does not accept (string, string)
SELECT date_trunc('month', order_id) FROM bronze.snowflake_orders
