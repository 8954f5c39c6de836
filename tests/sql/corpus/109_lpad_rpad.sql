SELECT lpad(CAST(quantity AS VARCHAR), 3, '0'), rpad(currency, 5, '*') FROM bronze.snowflake_orders
