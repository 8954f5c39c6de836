-- error: group_by_violation_order_by.sql:2:73: column 'status' must appear in GROUP BY or be used in an aggregate
SELECT currency FROM bronze.snowflake_orders GROUP BY currency ORDER BY status
