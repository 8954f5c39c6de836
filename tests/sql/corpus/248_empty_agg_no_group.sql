SELECT count(*) AS n, count(order_id) AS c, sum(total_amount) AS s, avg(quantity) AS a, max(order_date) AS m FROM bronze.snowflake_orders WHERE quantity > 100
