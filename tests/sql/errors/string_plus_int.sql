-- error: string_plus_int.sql:2:17: function + does not accept (string, int32)
SELECT currency + 1 FROM bronze.snowflake_orders
