-- error: intersect_unsupported.sql:2:46: INTERSECT / EXCEPT is not supported
SELECT currency FROM bronze.snowflake_orders INTERSECT SELECT currency FROM bronze.snowflake_orders
