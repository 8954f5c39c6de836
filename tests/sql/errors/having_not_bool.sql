-- error: a filter must be boolean
SELECT currency FROM bronze.snowflake_orders GROUP BY currency HAVING count(*)
