-- error: unknown table 'bronze.snowflake_ordrs'
SELECT * FROM bronze.snowflake_ordrs
