-- filter-heavy scan: a date range, two LIKEs, IN lists and comparisons; a small result.
SELECT order_id, customer_id, product_id, order_date, total_amount, currency, status
FROM bronze.snowflake_orders
WHERE order_date BETWEEN DATE '2025-03-01' AND DATE '2025-03-31'
  AND customer_id LIKE 'CUST-0001%'
  AND product_id NOT LIKE '%7'
  AND status IN ('SHIPPED', 'DELIVERED')
  AND currency <> 'USD'
  AND quantity >= 2
  AND total_amount > 50
