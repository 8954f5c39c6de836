SELECT order_id, quantity::DOUBLE AS d, total_amount::BIGINT AS b, order_date::VARCHAR AS s, order_ts::DATE AS dt FROM bronze.snowflake_orders
