-- error: sum_distinct.sql:2:8: sum(DISTINCT ...) is not supported (COUNT(DISTINCT ...) is); aggregate a SELECT DISTINCT subquery instead
SELECT sum(DISTINCT quantity) FROM bronze.snowflake_orders
