-- error: line 2 column 61: LIKE ... ESCAPE: the escape must be empty or one ASCII character, not 'ö'
SELECT order_id FROM bronze.snowflake_orders WHERE order_id LIKE 'ORD%' ESCAPE 'ö'
