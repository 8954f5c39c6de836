-- error: group_by_violation_having.sql:2:81: column 'status' must appear in GROUP BY or be used in an aggregate
SELECT currency, count(*) FROM bronze.snowflake_orders GROUP BY currency HAVING status = 'PAID'
