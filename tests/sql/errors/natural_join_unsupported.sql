-- error: natural_join_unsupported.sql:2:39: NATURAL JOIN is not supported
SELECT * FROM bronze.snowflake_orders NATURAL JOIN bronze.snowflake_customers
