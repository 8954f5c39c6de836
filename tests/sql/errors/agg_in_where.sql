-- error: aggregate count is not allowed here
SELECT currency FROM bronze.snowflake_orders WHERE count(*) > 1
