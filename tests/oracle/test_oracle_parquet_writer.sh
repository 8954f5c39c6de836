#!/usr/bin/env bash
# Oracle test for the Parquet writer: every file medallion writes (all types and edge values,
# every codec, dictionary on/off/fallback, several row groups and pages, required columns,
# an empty file) is read back by DuckDB and by hyparquet, which must agree with each other
# and with the values, types and statistics we meant to write.
# Env: MDL_ORACLE_WRITE_PARQUET, MDL_REPO.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$MDL_REPO"
[ -d node_modules/@duckdb/node-api ] || { echo "node_modules missing: run npm ci (make test does)"; exit 1; }
"$MDL_ORACLE_WRITE_PARQUET" "$tmp" >"$tmp/cases.txt"
fails=0
while read -r name; do
    if node tests/oracle/pq_oracle.mjs compare "$tmp/$name.parquet" "$tmp/$name.expected.json" \
        >"$tmp/$name.out" 2>&1; then
        echo "ok   $name"
    else
        echo "FAIL $name"
        sed 's/^/  /' "$tmp/$name.out" | head -30
        fails=$((fails + 1))
    fi
done <"$tmp/cases.txt"
[ "$fails" -eq 0 ] || { echo "$fails file(s) disagree with the oracles"; exit 1; }
echo "DuckDB and hyparquet read every file as written ($(wc -l <"$tmp/cases.txt") files)"
