#!/usr/bin/env bash
# CLI tests for `medallion ingest`: the landing zone `medallion generate` writes at scale 0.01
# is ingested by the bronze contracts in lakehouse/contracts; the summary reconciles (rows
# read = written + quarantined, per table); the DuckDB oracle (bronze_oracle.mjs) checks every
# landing file's rows against bronze + quarantine and the injected defects, and sums of
# landing minus quarantine against bronze; a re-run ingests nothing; a new daily file is
# picked up; errors and help. The lake is kept for the all-tables oracle.
# Usage: test_cli_ingest.sh MEDALLION
set -euo pipefail
mdl=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
json() { # json NAME CONDITION: a JavaScript condition on d, the JSON in $tmp/out
    if ! node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
if (!new Function("d", "return (" + process.argv[2] + ");")(d)) {
    console.log(JSON.stringify(d).slice(0, 600));
    process.exit(1);
}' "$tmp/out" "$2"; then
        echo "FAIL $1: JSON condition failed: $2"
        fails=$((fails + 1))
    fi
}
contracts="$MDL_REPO/lakehouse/contracts"
run() { "$mdl" ingest --landing "$tmp/landing" --lake "$tmp/lake" --contracts "$contracts" "$@"; }

check generate 0 "$mdl" generate --scale 0.01 --seed 11 --out "$tmp/landing"

# the first run: all nine tables, every row accounted for
check ingest 0 run --json
json ingest 'd.tables.length === 9 && d.tables.every(t => t.status === "ok" && t.files_ingested > 0 && t.rows_read === t.rows_written + t.rows_quarantined)'
json ingest 'd.tables.some(t => t.rows_quarantined > 0) && /^[0-9a-f-]{36}$/.test(d.batch_id)'
json ingest 'd.tables.find(t => t.table === "bronze.snowflake_orders").files_ingested === 31'
cp "$tmp/out" "$tmp/first.json"

# DuckDB over the active files of every bronze and quarantine table
check oracle 0 node "$MDL_REPO/tests/oracle/bronze_oracle.mjs" "$tmp/landing" "$tmp/lake"
contains oracle "$tmp/out" "bronze agrees with the landing zone"
cat "$tmp/out"

# a re-run reads nothing and commits nothing
check rerun 0 run --json
json rerun 'd.tables.every(t => t.status === "ok" && t.files_ingested === 0 && t.rows_read === 0 && t.files_skipped === t.files_matched)'
node -e '
const a = JSON.parse(require("fs").readFileSync(process.argv[1])), b = JSON.parse(require("fs").readFileSync(process.argv[2]));
for (let i = 0; i < a.tables.length; i++) if (a.tables[i].version !== b.tables[i].version) process.exit(1);' \
    "$tmp/first.json" "$tmp/out" || { echo "FAIL rerun_versions: a re-run committed"; fails=$((fails + 1)); }

# a new daily file is picked up, and only it
cp "$tmp/landing/snowflake/orders/changes/orders_changes_2025-12-31.csv" \
    "$tmp/landing/snowflake/orders/changes/orders_changes_2026-01-01.csv"
check new_file 0 run snowflake_orders --json
json new_file 'd.tables.length === 1 && d.tables[0].files_ingested === 1 && d.tables[0].files_skipped === 31 && d.tables[0].rows_read > 0'

# the summary table on a non-terminal, and the per-table lines on stderr
check summary 0 run
contains summary "$tmp/out" "quarantined"
contains summary "$tmp/out" "bronze.fx_rates"
contains summary "$tmp/err" "bronze.crm_accounts: 0 file(s) ingested, 1 skipped"

# errors
check unknown_table 2 run no_such_table
contains unknown_table "$tmp/err" "no bronze contract for 'no_such_table'"
mkdir -p "$tmp/bad/bronze"
printf 'table: bronze.x\ncolumns:\n  - {name: a, type: strng}\n' >"$tmp/bad/bronze/x.yaml"
check bad_contract 1 "$mdl" ingest --contracts "$tmp/bad" --landing "$tmp/landing" --lake "$tmp/lake"
contains bad_contract "$tmp/err" "x.yaml:3:"
check help 0 "$mdl" ingest --help
contains help "$tmp/out" "Usage: medallion ingest"
contains help "$tmp/out" "--landing DIR"
check bad_option 2 "$mdl" ingest --bogus

# keep the lake's tables for the DuckDB oracle over every table (test_oracle_all_tables.sh)
if [ -n "${MDL_TEST_KEEP_TABLES:-}" ]; then
    mkdir -p "$MDL_TEST_KEEP_TABLES/test_cli_ingest"
    cp -r "$tmp/lake/." "$MDL_TEST_KEEP_TABLES/test_cli_ingest/"
fi

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all ingest CLI checks passed"
