SELECT order_id, total_amount / quantity AS per_unit FROM bronze.snowflake_orders WHERE quantity > 0
