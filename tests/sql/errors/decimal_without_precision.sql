-- error: decimal_without_precision.sql:2:25: DECIMAL without a precision is not supported (DuckDB and Spark SQL default differently): write DECIMAL(p,s)
SELECT CAST(quantity AS DECIMAL) FROM bronze.snowflake_orders
