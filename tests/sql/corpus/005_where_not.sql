SELECT count(*) FROM bronze.snowflake_orders WHERE NOT (status = 'CANCELLED')
