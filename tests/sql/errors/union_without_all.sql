-- error: union_without_all.sql:2:46: UNION without ALL is not supported (write UNION ALL, with SELECT DISTINCT around it to remove duplicates)
SELECT currency FROM bronze.snowflake_orders UNION SELECT currency FROM bronze.snowflake_orders
