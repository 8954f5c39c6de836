-- error: qualify_unsupported.sql:2:46: QUALIFY is not supported (filter on the window function in an outer query)
SELECT order_id FROM bronze.snowflake_orders QUALIFY ROW_NUMBER() OVER (ORDER BY order_id) = 1
