-- error: frame_end_before_start.sql:3:75: a frame cannot end before its start
SELECT order_id,
       SUM(quantity) OVER (ORDER BY order_id ROWS BETWEEN CURRENT ROW AND 1 PRECEDING) AS s
FROM bronze.snowflake_orders
