-- pending: binder: an untyped NULL operand of AND/OR in WHERE is refused ('WHERE needs a boolean condition'); DuckDB types NULL as BOOLEAN there (FALSE AND NULL is FALSE)
SELECT count(*) AS n FROM bronze.snowflake_customers WHERE (age > 200) AND NULL
