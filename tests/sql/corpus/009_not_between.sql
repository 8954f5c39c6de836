SELECT count(*) FROM bronze.snowflake_orders WHERE quantity NOT BETWEEN 2 AND 4
