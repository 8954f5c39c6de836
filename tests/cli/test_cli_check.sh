#!/usr/bin/env bash
# CLI tests for quality checks (docs/quality.md): `medallion check` over a built lake (warnings
# only: exit 0, results in _medallion/dq_results); write-audit-publish in `medallion build`:
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

check build_products 0 b silver.products gold.dim_product silver.orders
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
check help 0 "$mdl" check --help
contains help "$tmp/out" "Usage: medallion check"
check unknown 2 "$mdl" check no_such_table --lake "$lake" --contracts "$tmp/c"

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all check CLI checks passed"
