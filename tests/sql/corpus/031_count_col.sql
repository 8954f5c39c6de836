SELECT count(order_ts), count(discount_pct) FROM bronze.snowflake_orders
