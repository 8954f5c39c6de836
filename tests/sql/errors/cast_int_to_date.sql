-- error: cast_int_to_date.sql:2:8: cannot cast int32 to date
SELECT CAST(quantity AS DATE) FROM bronze.snowflake_orders
