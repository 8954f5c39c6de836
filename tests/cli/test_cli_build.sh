#!/usr/bin/env bash
# CLI tests for `medallion build`: silver.orders (incremental) built from a generated and
# ingested lake (one row per order, no deleted order; a rebuild with nothing new commits
# nothing), silver.products (table) rebuilt as an atomic overwrite, a model whose SQL does not
# produce the contract's columns fails without a commit, unknown models and help.
# Usage: test_cli_build.sh MEDALLION
set -euo pipefail
mdl=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
lake="$tmp/lake"
c="$MDL_REPO/lakehouse/contracts"
m="$MDL_REPO/lakehouse/models"
"$mdl" generate --scale 0.01 --seed 9 --out "$tmp/landing" --quiet
"$mdl" ingest --landing "$tmp/landing" --lake "$lake" --contracts "$c" --quiet
b() { "$mdl" build --lake "$lake" --contracts "$c" --models "$m" "$@"; }

check build 0 b silver.customers silver.orders
contains build "$tmp/out" "silver.orders"
contains build "$tmp/out" "ok"
check one_per_order 0 "$mdl" query --lake "$lake" --csv "SELECT count(*) = count(DISTINCT order_id) AS unique_ok, (SELECT count(*) FROM bronze.snowflake_orders b WHERE b.op = 'DELETE') >= 0 AS any FROM silver.orders"
contains one_per_order "$tmp/out" "true,true"
check no_deleted 0 "$mdl" query --lake "$lake" --csv "SELECT count(*) AS n FROM silver.orders s WHERE s.order_id IN (SELECT order_id FROM (SELECT order_id, op, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC, _source_file DESC) AS rn FROM bronze.snowflake_orders) v WHERE rn = 1 AND op = 'DELETE')"
contains no_deleted "$tmp/out" $'n\n0'
# an incremental model with no new source rows: nothing to do, no commit
check rebuild_incremental 0 b orders
contains rebuild_incremental "$tmp/out" "up to date"
check describe 0 "$mdl" table describe "$lake/silver/orders"
contains describe "$tmp/out" "version:      1"

# late and out-of-order CDC rows: a late update to an old order is applied, an older version
# delivered later is ignored, a delete removes the order; only new bronze files are read
o1=$("$mdl" query --lake "$lake" --csv "SELECT order_id FROM silver.orders ORDER BY order_date, order_id LIMIT 2" | sed -n 2p)
o2=$("$mdl" query --lake "$lake" --csv "SELECT order_id FROM silver.orders ORDER BY order_date, order_id LIMIT 2" | sed -n 3p)
hdr=$(head -1 "$tmp/landing/snowflake/orders/orders_000.csv")
row() { # order_id status op updated_at
    echo "$1,CUST-000001,PROD-000001,2024-01-02,2024-01-02 10:00:00.000,1,10.00,0.00,0.00,0.00,10.00,USD,CREDIT_CARD,$2,WEB,$3,$4"
}
{
    echo "$hdr"
    row "$o1" LATE_UPDATE UPDATE "2099-01-01 00:00:00.000"
    row "$o2" GONE DELETE "2099-01-01 00:00:00.000"
} >"$tmp/landing/snowflake/orders/changes/orders_changes_2099-01-01.csv"
"$mdl" ingest --landing "$tmp/landing" --lake "$lake" --contracts "$c" --quiet
check merge_late 0 b orders
cp "$tmp/out" "$tmp/merge_late.txt"
contains merge_late "$tmp/merge_late.txt" "  0         1        1        2  "
check late_applied 0 "$mdl" query --lake "$lake" --csv "SELECT status FROM silver.orders WHERE order_id = '$o1'"
contains late_applied "$tmp/out" "LATE_UPDATE"
check delete_applied 0 "$mdl" query --lake "$lake" --csv "SELECT count(*) AS n FROM silver.orders WHERE order_id = '$o2'"
contains delete_applied "$tmp/out" $'n\n0'
{
    echo "$hdr"
    row "$o1" STALE UPDATE "2000-01-01 00:00:00.000"
} >"$tmp/landing/snowflake/orders/changes/orders_changes_2099-01-02.csv"
"$mdl" ingest --landing "$tmp/landing" --lake "$lake" --contracts "$c" --quiet
check merge_stale 0 b orders
check stale_ignored 0 "$mdl" query --lake "$lake" --csv "SELECT status FROM silver.orders WHERE order_id = '$o1'"
contains stale_ignored "$tmp/out" "LATE_UPDATE"
check history_merge 0 "$mdl" table history "$lake/silver/orders"
contains history_merge "$tmp/out" "MERGE"

# a table model: every build replaces the one file in one commit
check build_products 0 b silver.products
check rebuild 0 b products
check describe_products 0 "$mdl" table describe "$lake/silver/products"
contains describe_products "$tmp/out" "version:      2"
check history 0 "$mdl" table history "$lake/silver/products" --json
node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1])); if (d[0].removes !== 1 || d[0].adds !== 1) process.exit(1)' "$tmp/out" ||
    { echo "FAIL history: the rebuild must replace the one file"; fails=$((fails + 1)); }

# a model whose SQL does not match its contract: an error, nothing committed
mkdir -p "$tmp/c/silver" "$tmp/m/silver"
cp "$c/silver/products.yaml" "$tmp/c/silver/products.yaml"
echo "SELECT product_id, sku FROM bronze.snowflake_products" >"$tmp/m/silver/products.sql"
check mismatch 1 "$mdl" build products --lake "$lake" --contracts "$tmp/c" --models "$tmp/m"
contains mismatch "$tmp/err" "the model's SQL does not produce the contract's columns"
contains mismatch "$tmp/err" "column 3: contract product_name string, query - "
check still_v2 0 "$mdl" table describe "$lake/silver/products"
contains still_v2 "$tmp/out" "version:      2"
check unknown 2 b no_such_model
contains unknown "$tmp/err" "no silver or gold contract for 'no_such_model'"
check help 0 "$mdl" build --help
contains help "$tmp/out" "Usage: medallion build"

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all build CLI checks passed"
