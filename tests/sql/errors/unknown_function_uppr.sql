-- error: unknown_function_uppr.sql:2:8: unknown function 'uppr' (did you mean 'upper'?)
SELECT uppr(currency) FROM bronze.snowflake_orders
