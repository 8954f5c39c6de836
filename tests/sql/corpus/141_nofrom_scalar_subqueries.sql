SELECT (SELECT count(*) FROM bronze.snowflake_products) AS np, (SELECT max(age) FROM bronze.snowflake_customers) AS mx, (SELECT min(order_date) FROM bronze.snowflake_orders) AS first_order
