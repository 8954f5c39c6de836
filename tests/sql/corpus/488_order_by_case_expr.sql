-- ordered
SELECT status FROM bronze.snowflake_orders GROUP BY status ORDER BY CASE status WHEN 'PENDING' THEN 0 WHEN 'PAID' THEN 1 ELSE 2 END, status
