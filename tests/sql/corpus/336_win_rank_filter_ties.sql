SELECT currency, order_id FROM (SELECT currency, order_id, RANK() OVER (PARTITION BY currency ORDER BY quantity DESC) AS r FROM bronze.snowflake_orders) t WHERE r = 1
