-- error: aggregate_in_group_by.sql:2:55: aggregate count is not allowed here
SELECT count(*) FROM bronze.snowflake_orders GROUP BY count(*)
