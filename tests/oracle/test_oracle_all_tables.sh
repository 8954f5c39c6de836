#!/usr/bin/env bash
# Oracle test over every Delta table the tests wrote: the table tests (and the table CLI test)
# keep their valid tables under $MDL_TEST_KEEP_TABLES (tests/support mdl_test_table_dir; CTest
# runs them first, see tests/CMakeLists.txt). For each table, medallion's reader
# (oracle_table_summary) and an independent log replay whose active files DuckDB reads
# (delta_table_oracle.mjs) must agree on version, rows, active files and column sums.
# Env: MDL_TEST_KEEP_TABLES, MDL_ORACLE_TABLE_SUMMARY, MDL_REPO.
set -euo pipefail
keep=${MDL_TEST_KEEP_TABLES:?set MDL_TEST_KEEP_TABLES to the folder the table tests wrote to}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$MDL_REPO"
# the programs whose tables must be there (a missing one means it wrote elsewhere)
for p in test_table_api test_table_partitions test_table_maintenance test_table_crash \
    test_cli_table; do
    [ -d "$keep/$p" ] || { echo "no tables from $p under $keep"; exit 1; }
done
tables=()
while IFS= read -r log; do
    # a folder with a _delta_log but no commit (a create that failed on purpose) is no table
    if ls "$log" | grep -qE '^[0-9]{20}\.json$'; then
        tables+=("$(dirname "$log")")
    fi
done < <(find "$keep" -type d -name _delta_log | sort)
[ "${#tables[@]}" -gt 0 ] || { echo "no tables under $keep"; exit 1; }
"$MDL_ORACLE_TABLE_SUMMARY" "${tables[@]}" >"$tmp/ours.jsonl"
node tests/oracle/delta_table_oracle.mjs "$keep" "$tmp/ours.jsonl"
