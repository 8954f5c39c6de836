-- silver.orders (materialized: incremental, merged on order_id, order_by updated_at): the CDC
-- of the Snowflake snapshot and daily change files. Each build reads only the bronze rows
-- ingested since the last build and keeps the latest version per order_id among them;
-- `_deleted` removes the order from the table when its latest version is a DELETE. The CDC
-- column (op) and the ingestion metadata are left out.
SELECT order_id, customer_id, product_id, order_date, order_ts, quantity, unit_price,
       discount_pct, tax_amount, shipping_cost, total_amount, currency, payment_method, status,
       channel, updated_at, op = 'DELETE' AS _deleted
FROM (
    SELECT *,
           ROW_NUMBER() OVER (PARTITION BY order_id
                              ORDER BY updated_at DESC, _source_file DESC) AS rn
    FROM bronze.snowflake_orders
) versions
WHERE rn = 1
