-- error: range_frame_offset.sql:2:46: a RANGE frame with an offset or starting at CURRENT ROW is not supported (RANGE frames may only start at UNBOUNDED PRECEDING; write ROWS)
SELECT SUM(quantity) OVER (ORDER BY quantity RANGE BETWEEN 1 PRECEDING AND CURRENT ROW) FROM bronze.snowflake_orders
