-- error: nested_aggregate.sql:2:12: aggregate count inside another aggregate
SELECT sum(count(*)) FROM bronze.snowflake_orders
