-- pending: binder: EXISTS in the SELECT list (not in WHERE) is not supported yet
SELECT EXISTS (SELECT 1 FROM bronze.snowflake_products WHERE price_usd < 0) AS a, NOT EXISTS (SELECT 1 FROM bronze.snowflake_products WHERE price_usd < 0) AS b, EXISTS (SELECT 1 FROM bronze.snowflake_products) AS c
