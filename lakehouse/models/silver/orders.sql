-- silver.orders: one row per order, its latest version by updated_at (the CDC of the
-- Snowflake snapshot and daily change files applied); deleted orders removed; the CDC
-- column (op) and the ingestion metadata left out.
SELECT order_id, customer_id, product_id, order_date, order_ts, quantity, unit_price,
       discount_pct, tax_amount, shipping_cost, total_amount, currency, payment_method, status,
       channel, updated_at
FROM (
    SELECT *
    FROM (
        SELECT *,
               ROW_NUMBER() OVER (PARTITION BY order_id
                                  ORDER BY updated_at DESC, _source_file DESC) AS rn
        FROM bronze.snowflake_orders
    ) versions
    WHERE rn = 1
) latest
WHERE op <> 'DELETE'
