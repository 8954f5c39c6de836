WITH orders AS (SELECT order_id, quantity FROM bronze.snowflake_orders) SELECT count(*), sum(quantity) FROM orders
