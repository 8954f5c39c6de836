-- error: window_without_over.sql:2:18: row_number needs an OVER clause
SELECT order_id, row_number() FROM bronze.snowflake_orders
