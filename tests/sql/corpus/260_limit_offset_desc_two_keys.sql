-- ordered
SELECT currency, order_id FROM bronze.snowflake_orders ORDER BY currency DESC, order_id ASC LIMIT 7 OFFSET 3
