#!/usr/bin/env bash
# CLI tests for quality checks (docs/quality.md): `medallion check` over a built lake (warnings
# only: exit 0, results in _medallion/dq_results); write-audit-publish in `medallion build`
# and in `medallion ingest` (a failing delivery commits nothing):
# a model whose staged data fails an error check exits 3, its table stays at its previous
# version (time travel shows the old rows), the staged files are gone, the failure is recorded
# with published = false, and a model downstream of it is skipped; `check` then exits 3 too.
# Usage: test_cli_check.sh MEDALLION
set -euo pipefail
mdl=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
lake="$tmp/lake"
cp -r "$MDL_REPO/lakehouse/contracts" "$tmp/c"
m="$MDL_REPO/lakehouse/models"
"$mdl" generate --scale 0.01 --seed 3 --out "$tmp/landing" --quiet
"$mdl" ingest --landing "$tmp/landing" --lake "$lake" --contracts "$tmp/c" --quiet
b() { "$mdl" build --lake "$lake" --contracts "$tmp/c" --models "$m" "$@"; }
q() { "$mdl" query --lake "$lake" --csv "$1"; }

check build_products 0 b silver.products gold.dim_product silver.customers silver.orders
check check_all 0 "$mdl" check silver.products silver.orders --lake "$lake" --contracts "$tmp/c" --run-id run-1
contains check_all "$tmp/out" "unique(product_id)"
contains check_all "$tmp/out" "0 failed"
q "SELECT count(*) AS n, min(run_id) AS r, max(published) AS p FROM _medallion.dq_results WHERE run_id = 'run-1'" >"$tmp/q1"
grep -qE '^[1-9][0-9]*,run-1,true$' "$tmp/q1" || { echo "FAIL recorded: $(cat "$tmp/q1")"; fails=$((fails + 1)); }
before=$(q "SELECT count(*) FROM silver.products" | tail -1)

# an error check the data cannot pass: at most 5 products
sed -i 's/^  - {row_count: {min: 1}}$/  - {row_count: {min: 1, max: 5}}/' "$tmp/c/silver/products.yaml"
grep -q 'max: 5' "$tmp/c/silver/products.yaml" || { echo "FAIL fixture: no row_count check to edit"; fails=$((fails + 1)); }
check wap_fails 3 b silver.products gold.dim_product
contains wap_fails "$tmp/err" "row_count"
contains wap_fails "$tmp/err" "nothing was published, the table stays at version 1"
contains wap_fails "$tmp/out" "FAILED checks"
contains wap_fails "$tmp/out" "skipped"
check describe 0 "$mdl" table describe "$lake/silver/products"
contains describe "$tmp/out" "version:      1"
[ "$(q "SELECT count(*) FROM silver.products" | tail -1)" = "$before" ] ||
    { echo "FAIL unchanged: silver.products lost its rows"; fails=$((fails + 1)); }
# every data file in the folder is in the table: the staged one was deleted
nfiles=$(find "$lake/silver/products" -name '*.parquet' | wc -l)
check files 0 "$mdl" table files "$lake/silver/products" --json
nactive=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).length)' "$tmp/out")
[ "$nfiles" = "$nactive" ] || { echo "FAIL staged files left: $nfiles files, $nactive active"; fails=$((fails + 1)); }
q "SELECT status, published FROM _medallion.dq_results WHERE table_name = 'silver.products' AND kind = 'row_count' AND NOT published" >"$tmp/q2"
contains recorded_fail "$tmp/q2" "fail,false"
check check_fails 3 "$mdl" check products --lake "$lake" --contracts "$tmp/c" --no-record
contains check_fails "$tmp/out" "1 failed"
# write-audit-publish in ingest: a delivery whose ids break the bronze regex check commits
# nothing (bronze and quarantine unchanged), is read again next time, and lands with --no-checks
bronze_before=$(q "SELECT count(*) FROM bronze.snowflake_customers" | tail -1)
quarantine_before=$(q "SELECT count(*) FROM quarantine.snowflake_customers" | tail -1)
head -1 "$tmp/landing/snowflake/customers/customers_000.csv" >"$tmp/landing/snowflake/customers/customers_900.csv"
for i in 1 2 3; do
    echo "X$i,Ann,Lee,ann@example.com,(885) 379-3258,1 Main St,Vancouver,BC,CA,V6B53,2022-01-16,F,21,VIP,PHONE,2022-01-16 16:24:08.112,2022-01-24 07:05:18.470" \
        >>"$tmp/landing/snowflake/customers/customers_900.csv"
done
echo "CUST-999999,Bob,Lee,bob@example.com,x,1 Main St,Vancouver,BC,CA,V6B53,not-a-date,F,21,VIP,PHONE,2022-01-16 16:24:08.112,2022-01-24 07:05:18.470" \
    >>"$tmp/landing/snowflake/customers/customers_900.csv"
ing() { "$mdl" ingest snowflake_customers --landing "$tmp/landing" --lake "$lake" --contracts "$tmp/c" "$@"; }
check ingest_wap 3 ing --quiet
contains ingest_wap "$tmp/err" "customers_900.csv: 1 check(s) failed on bronze.snowflake_customers: regex(customer_id): 3 of 3 rows"
contains ingest_wap "$tmp/err" "nothing of the file was committed (quarantine included)"
[ "$(q "SELECT count(*) FROM bronze.snowflake_customers" | tail -1)" = "$bronze_before" ] ||
    { echo "FAIL ingest_wap: bronze changed"; fails=$((fails + 1)); }
[ "$(q "SELECT count(*) FROM quarantine.snowflake_customers" | tail -1)" = "$quarantine_before" ] ||
    { echo "FAIL ingest_wap: quarantine changed"; fails=$((fails + 1)); }
q "SELECT status, published FROM _medallion.dq_results WHERE table_name = 'bronze.snowflake_customers' AND check_name = 'regex(customer_id)' AND NOT published" >"$tmp/q3"
contains ingest_wap_recorded "$tmp/q3" "fail,false"
check ingest_wap_again 3 ing --quiet
check ingest_no_checks 0 ing --quiet --no-checks
[ "$(q "SELECT count(*) FROM bronze.snowflake_customers" | tail -1)" = "$((bronze_before + 3))" ] ||
    { echo "FAIL ingest_no_checks: the 3 rows did not land"; fails=$((fails + 1)); }
[ "$(q "SELECT count(*) FROM quarantine.snowflake_customers" | tail -1)" = "$((quarantine_before + 1))" ] ||
    { echo "FAIL ingest_no_checks: the bad row is not in quarantine"; fails=$((fails + 1)); }
check ingest_done 0 ing --quiet
check help 0 "$mdl" check --help
contains help "$tmp/out" "Usage: medallion check"
check unknown 2 "$mdl" check no_such_table --lake "$lake" --contracts "$tmp/c"

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all check CLI checks passed"
