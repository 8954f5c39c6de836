#!/usr/bin/env bash
# End to end: the landing zone at scale 0.1 (seed 42), the whole lakehouse run by the
# pipeline driver (`medallion run`, every bronze ingest and every silver and gold model),
# then the headline gold numbers (orders, USD revenue in total, per year, per currency and
# per status, customer 360 and product performance totals, value segments, current
# dimension rows) against DuckDB recomputing them straight from the landing files
# (tests/oracle/e2e_oracle.mjs), never from the lake's bronze or silver tables.
# The project is a copy of lakehouse/ in a scratch folder, so its paths (../lake,
# ../landing, the alert file) resolve inside that folder and the repository's lake/ is never
# written; the script checks that before running.
# Usage: test_e2e_run.sh MEDALLION (CTest, label e2e)
set -euo pipefail
mdl=$1
repo=${MDL_REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MEDALLION_PII_KEY=e2e-test-key-0123456789abcdef
scale=0.1
seed=42

"$mdl" generate --scale "$scale" --seed "$seed" --out "$tmp/landing" --quiet
cp -r "$repo/lakehouse" "$tmp/lakehouse"
rm -rf "$tmp/lake"
cd "$tmp"

# the resolved configuration must keep everything the run writes inside $tmp
"$mdl" config show --project lakehouse/medallion.yaml --env local >"$tmp/config"
for want in '  lake: lake' '  landing: landing' '    path: lake/_medallion/alerts.jsonl'; do
    grep -qxF -- "$want" "$tmp/config" || {
        echo "FAIL config: '$want' not in the resolved configuration (paths must stay in $tmp):"
        sed 's/^/  /' "$tmp/config"
        exit 1
    }
done

start=$SECONDS
set +e
"$mdl" run --project lakehouse/medallion.yaml --env local --run-date 2026-01-01 -j 2 \
    >"$tmp/run.out" 2>"$tmp/run.err"
rc=$?
set -e
echo "medallion run at scale $scale: exit $rc in $((SECONDS - start)) s"
if [ "$rc" != 0 ] || ! grep -qE ' [1-9][0-9]* ok, 0 up to date, 0 failed, 0 failed checks, 0 skipped' "$tmp/run.out"; then
    echo "FAIL run: every task must succeed"
    sed 's/^/  out: /' "$tmp/run.out" | tail -40
    sed 's/^/  err: /' "$tmp/run.err" | tail -20
    exit 1
fi
grep -E '^run [0-9a-f-]+ ' "$tmp/run.out" || true

node "$repo/tests/oracle/e2e_oracle.mjs" "$mdl" "$tmp/lake" "$tmp/landing"
