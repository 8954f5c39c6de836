SELECT count(*) FROM bronze.snowflake_orders WHERE currency NOT IN ('USD', 'EUR')
