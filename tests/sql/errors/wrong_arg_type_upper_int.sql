-- error: wrong_arg_type_upper_int.sql:2:8: function upper does not accept (int32)
SELECT upper(quantity) FROM bronze.snowflake_orders
