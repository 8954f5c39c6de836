#!/usr/bin/env bash
# Every silver and gold model against DuckDB (tests/oracle/model_oracle.mjs), after
# incremental merges: the bronze orders arrive in two parts (the snapshot with the older half
# of the daily change files, then the rest — updates and deletes of old orders among them),
# with a build of every model after each; a third build with nothing new commits nothing.
# Usage: test_oracle_models.sh MEDALLION (CTest)
set -euo pipefail
mdl=$1
repo=${MDL_REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MEDALLION_PII_KEY=oracle-test-key-0123456789
"$mdl" generate --scale 0.01 --seed 11 --out "$tmp/landing" --quiet
changes="$tmp/landing/snowflake/orders/changes"
mkdir -p "$tmp/later"
mapfile -t files < <(ls "$changes" | sort)
half=$((${#files[@]} / 2))
for f in "${files[@]:$half}"; do mv "$changes/$f" "$tmp/later/"; done
b() { "$mdl" build --lake "$tmp/lake" --contracts "$repo/lakehouse/contracts" --models "$repo/lakehouse/models"; }
"$mdl" ingest --landing "$tmp/landing" --lake "$tmp/lake" --contracts "$repo/lakehouse/contracts" --quiet
b >/dev/null
mv "$tmp/later/"* "$changes/"
"$mdl" ingest --landing "$tmp/landing" --lake "$tmp/lake" --contracts "$repo/lakehouse/contracts" --quiet
b | tee "$tmp/second"
grep -E '^silver.orders +incremental' "$tmp/second" | grep -q ' ok$' ||
    { echo "FAIL: the second build of silver.orders did not merge"; exit 1; }
b | tee "$tmp/third"
grep -E '^silver.orders +incremental' "$tmp/third" | grep -q 'up to date' ||
    { echo "FAIL: a build with nothing new must not commit silver.orders"; exit 1; }
node "$repo/tests/oracle/model_oracle.mjs" "$mdl" "$tmp/lake" "$repo/lakehouse/contracts" "$repo/lakehouse/models" "$MEDALLION_PII_KEY"
