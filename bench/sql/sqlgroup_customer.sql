-- high-cardinality GROUP BY: one row per customer (2.4M groups) with several aggregates.
SELECT customer_id,
       count(*) AS orders,
       sum(quantity) AS units,
       sum(total_amount) AS amount,
       avg(discount_pct) AS avg_discount,
       min(order_date) AS first_order,
       max(updated_at) AS last_update
FROM bronze.snowflake_orders
GROUP BY customer_id
