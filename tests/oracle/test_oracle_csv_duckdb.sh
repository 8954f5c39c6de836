#!/usr/bin/env bash
# Oracle test: DuckDB and medallion read the same generated orders CSV (quoted fields with
# commas and doubled quotes included) and must produce identical values, row by row.
# Needs the npm oracles (make test runs npm ci first). Env: MDL_GEN, MDL_ORACLE_DUMP, MDL_REPO.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$MDL_REPO"
[ -d node_modules/@duckdb/node-api ] || { echo "node_modules missing: run npm ci (make test does)"; exit 1; }
"$MDL_GEN" 30000 11 --defects 0 >"$tmp/orders.csv" 2>/dev/null
# A few hand-made rows at the edges: quotes, unicode, blank optional field, negative values.
cat >>"$tmp/orders.csv" <<'ROWS'
ORD-90000001,CUST-0000001,SKU-000001,2024-02-29,2024-02-29T23:59:59.999999Z,1,0.01,USD,paid,US,"a, ""quoted"" mail"
ORD-90000002,CUST-0000002,SKU-000002,2024-12-31,2024-12-31T00:00:00+05:30,10,99999.99,EUR,pending,DE,
ORD-90000003,CUST-0000003,SKU-000003,2024-01-01,2024-01-01 12:00:00,3,-5.50,JPY,cancelled,JP,"üñíçødé 東京"
ROWS
schema="order_id string, customer_id string, product_id string, order_date date, order_ts timestamp, quantity int32, unit_price decimal(12,2), currency string, status string, country string, email string"
cols='{"order_id":"VARCHAR","customer_id":"VARCHAR","product_id":"VARCHAR","order_date":"DATE","order_ts":"TIMESTAMPTZ","quantity":"INTEGER","unit_price":"DECIMAL(12,2)","currency":"VARCHAR","status":"VARCHAR","country":"VARCHAR","email":"VARCHAR"}'
"$MDL_ORACLE_DUMP" "$tmp/orders.csv" "$schema" >"$tmp/medallion.txt"
# medallion timestamps are UTC instants: DuckDB's equivalent is TIMESTAMPTZ in a UTC session
# (its plain TIMESTAMP would drop offsets such as +05:30).
node tests/oracle/duckdb_dump.mjs "$tmp/orders.csv" "$cols" >"$tmp/duckdb.txt"
rows=$(wc -l <"$tmp/medallion.txt")
if [ "$rows" -ne 30003 ]; then
    echo "medallion produced $rows rows, expected 30003"
    exit 1
fi
if ! diff -u "$tmp/duckdb.txt" "$tmp/medallion.txt" >"$tmp/diff.txt"; then
    echo "medallion and DuckDB disagree:"
    head -40 "$tmp/diff.txt"
    exit 1
fi
echo "medallion and DuckDB agree on all $rows rows"
