-- error: overflow
SELECT quantity * 1000000000 AS x FROM bronze.snowflake_orders WHERE quantity = 5
