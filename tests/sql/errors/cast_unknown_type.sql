-- error: cast_unknown_type.sql:2:25: type BLOB is not supported
SELECT CAST(quantity AS BLOB) FROM bronze.snowflake_orders
