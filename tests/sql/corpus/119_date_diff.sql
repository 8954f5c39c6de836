SELECT date_diff('day', order_date, DATE '2026-01-01') AS age FROM bronze.snowflake_orders
