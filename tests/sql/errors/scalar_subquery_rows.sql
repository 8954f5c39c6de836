-- error: the scalar subquery returned
SELECT order_id FROM bronze.snowflake_orders WHERE total_amount = (SELECT total_amount FROM bronze.snowflake_orders)
