-- error: cast_varchar_length.sql:2:32: a length or parameters on this type is not supported
SELECT CAST(quantity AS VARCHAR(10)) FROM bronze.snowflake_orders
