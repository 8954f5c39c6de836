SELECT a.order_id, b.order_id AS later FROM bronze.snowflake_orders a JOIN bronze.snowflake_orders b ON a.customer_id = b.customer_id AND a.order_ts < b.order_ts AND a.product_id = b.product_id
