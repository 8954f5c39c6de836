#!/usr/bin/env bash
# Oracle test: every expression of tests/sql/expr_cases.txt is evaluated by medallion's
# bound-expression evaluator (oracle_sql_expr, no SQL parser involved) and by DuckDB
# (SELECT CAST((expr) AS VARCHAR)); both must give the expected value and the same result type.
# Env: MDL_ORACLE_SQL_EXPR, MDL_REPO.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$MDL_REPO"
[ -d node_modules/@duckdb/node-api ] || { echo "node_modules missing: run npm ci (make test does)"; exit 1; }
cases=tests/sql/expr_cases.txt
"$MDL_ORACLE_SQL_EXPR" "$cases" >"$tmp/medallion.tsv" 2>"$tmp/medallion.err"
n=$(grep -cv '^\(#\|$\)' "$cases")
if [ "$n" -lt 150 ]; then
    echo "only $n cases in $cases (at least 150 expected)"
    exit 1
fi
node tests/oracle/sql_expr_oracle.mjs "$cases" "$tmp/medallion.tsv"
