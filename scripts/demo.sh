#!/usr/bin/env bash
# The demonstration job run by `make demo` (expects the release build in build/release).
# Today: generate a day of orders with realistic defects, read it through the typed CSV
# reader, print the profile and the rejected rows, and write the good rows as Parquet. Later issues turn this into the
# whole bronze -> silver -> gold pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=build/release
rows=${DEMO_ROWS:-200000}
landing=lake/landing/orders
mkdir -p "$landing"

echo "== generating $rows orders with ~1% defective rows into $landing/orders.csv"
"$bin/mdl_gen_orders" "$rows" 42 --defects 0.01 > "$landing/orders.csv" 2> "$landing/defects.txt"
sed 's/^/   /' "$landing/defects.txt"

schema="order_id string not null, customer_id string not null, product_id string not null,
order_date date not null, order_ts timestamp not null, quantity int32 not null,
unit_price decimal(12,2) not null, currency string not null, status string not null,
country string not null, email string"

echo
echo "== reading it with the orders schema: medallion read $landing/orders.csv --schema ..."
echo
"$bin/medallion" read "$landing/orders.csv" --schema "$(echo "$schema" | tr '\n' ' ')" --head 5 --show-rejects 8
echo
echo "The rejected rows above are what bronze ingestion will send to quarantine/orders."
echo
echo "== converting the good rows to Parquet (zstd): medallion convert ..."
mkdir -p lake/preview
"$bin/medallion" convert "$landing/orders.csv" lake/preview/orders.parquet --quiet \
    --schema "$(echo "$schema" | tr '\n' ' ')" 2>/dev/null
echo
"$bin/medallion" parquet meta lake/preview/orders.parquet | head -16
echo
echo "Try: $bin/medallion parquet head lake/preview/orders.parquet"
echo "     $bin/medallion read $landing/orders.csv        (types inferred from the data)"
echo "     $bin/medallion --help"
