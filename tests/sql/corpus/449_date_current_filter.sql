SELECT count(*) FROM bronze.snowflake_orders WHERE order_date <= current_date AND order_ts < current_timestamp AND date_diff('day', order_date, current_date) >= 0
