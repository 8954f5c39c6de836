-- ordered
SELECT order_id, channel FROM bronze.snowflake_orders ORDER BY channel NULLS FIRST, order_id DESC LIMIT 20
