-- error: could not convert string 'EUR' to int32
SELECT CAST(currency AS INTEGER) FROM bronze.snowflake_orders
