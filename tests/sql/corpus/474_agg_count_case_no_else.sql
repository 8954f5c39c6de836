SELECT count(CASE WHEN quantity > 2 THEN 1 END) AS big, count(CASE WHEN channel IS NULL THEN 1 END) AS no_channel FROM bronze.snowflake_orders
