#!/usr/bin/env bash
# CLI tests for `medallion query`: a generated lake queried as a table, CSV, JSON lines and
# Parquet, -f FILE with errors naming the file, --explain showing the rewrites (file skipping,
# filters below joins, latest row per key), usage errors and help.
# Usage: test_cli_query.sh MEDALLION
set -euo pipefail
mdl=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
lake="$tmp/lake"
"$mdl" generate --scale 0.01 --seed 3 --out "$tmp/landing" --quiet
"$mdl" ingest --landing "$tmp/landing" --lake "$lake" --contracts "$MDL_REPO/lakehouse/contracts" --quiet
q() { "$mdl" query --lake "$lake" "$@"; }

check table 0 q "SELECT currency, count(*) AS n FROM bronze.snowflake_orders GROUP BY currency ORDER BY currency"
contains table "$tmp/out" "currency  n"
contains table "$tmp/out" "(8 rows)"
check max_rows 0 q "SELECT order_id FROM bronze.snowflake_orders" --max-rows 3
contains max_rows "$tmp/out" "rows, 3 shown"
check csv 0 q "SELECT currency, count(*) AS n FROM bronze.snowflake_orders GROUP BY 1 ORDER BY 1" --csv
contains csv "$tmp/out" "currency,n"
contains csv "$tmp/out" "AUD,"
check json 0 q "SELECT 1 + 1 AS two, 'x' AS s" --json
contains json "$tmp/out" '{"two":2,"s":"x"}'
check parquet 0 q "SELECT order_id, total_amount FROM bronze.snowflake_orders WHERE currency = 'EUR'" --parquet "$tmp/eur.parquet"
contains parquet "$tmp/err" "rows to $tmp/eur.parquet"
check parquet_read 0 "$mdl" parquet meta "$tmp/eur.parquet"
check bad_memory 2 q "SELECT 1" --memory 0
contains bad_memory "$tmp/err" "medallion query: --memory takes megabytes, not '0'"
check bad_memory_check 2 "$mdl" check --memory 12x
contains bad_memory_check "$tmp/err" "medallion check: --memory takes megabytes, not '12x'"
# filters run conjunct by conjunct: the CAST only sees the change files' names, which end in
# a date, so the snapshot's name (orders_000.csv) never reaches it; alone, it fails
check staged_filter 0 q "SELECT count(*) AS n FROM bronze.snowflake_orders WHERE _source_file LIKE '%changes%' AND CAST(substr(_source_file, length(_source_file) - 13, 10) AS DATE) >= DATE '2000-01-01'" --csv
grep -qxE '[1-9][0-9]*' <(tail -1 "$tmp/out") || { echo "FAIL staged_filter: $(cat "$tmp/out")"; fails=$((fails + 1)); }
check unstaged_cast 1 q "SELECT count(*) FROM bronze.snowflake_orders WHERE CAST(substr(_source_file, length(_source_file) - 13, 10) AS DATE) >= DATE '2000-01-01'"
contains unstaged_cast "$tmp/err" "could not convert string"
printf 'SELECT order_id\nFROM bronze.snowflake_orders\nWHERE custmer_id = 1\n' >"$tmp/bad.sql"
check file_error 1 q -f "$tmp/bad.sql"
contains file_error "$tmp/err" "$tmp/bad.sql:3:7: unknown column 'custmer_id' (did you mean 'customer_id'?)"
check explain 0 q --explain "SELECT o.order_id FROM bronze.snowflake_orders o JOIN bronze.fx_rates f ON f.quote = o.currency AND f.rate_date = o.order_date WHERE f.base = 'USD' AND o.quantity > 2"
contains explain "$tmp/out" "Scan bronze.fx_rates"
contains explain "$tmp/out" "skip files unless base"
contains explain "$tmp/out" "skip files unless quantity"
contains explain "$tmp/out" "bronze.snowflake_orders (31 files, reads 4 of 22 columns)"
contains explain "$tmp/out" "reads 3 of 11 columns"
check explain_top1 0 q --explain "SELECT * FROM (SELECT order_id, updated_at, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC) AS rn FROM bronze.snowflake_orders) t WHERE rn = 1"
contains explain_top1 "$tmp/out" "latest row per key"
check top1 0 q "SELECT count(*) AS n, count(DISTINCT order_id) AS k FROM (SELECT order_id, ROW_NUMBER() OVER (PARTITION BY order_id ORDER BY updated_at DESC) AS rn FROM bronze.snowflake_orders) t WHERE rn = 1" --csv
node -e 'const [n, k] = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n")[1].split(","); if (n !== k) process.exit(1)' "$tmp/out" ||
    { echo "FAIL top1: one row per key expected"; fails=$((fails + 1)); }
check syntax 1 q "SELECT FROM"
contains syntax "$tmp/err" "query:1:8:"
check two_outputs 2 q "SELECT 1" --csv --json
check no_query 2 "$mdl" query
check help 0 "$mdl" query --help
contains help "$tmp/out" "Usage: medallion query SQL"
contains help "$tmp/out" "--explain"

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all query CLI checks passed"
