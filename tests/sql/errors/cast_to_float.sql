-- error: cast_to_float.sql:2:25: type FLOAT is not supported (single precision; use DOUBLE)
SELECT CAST(quantity AS FLOAT) FROM bronze.snowflake_orders
