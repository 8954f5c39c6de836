#!/usr/bin/env bash
# CLI tests for `medallion` and `medallion read`: help, version, exit codes, reading
# generated orders with defects (rejected rows must match the generator's own count),
# JSON output, --strict, JSON lines. Usage: test_cli_read.sh MEDALLION GEN_ORDERS
set -euo pipefail
mdl=$1
gen=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

check help 0 "$mdl" --help
contains help "$tmp/out" "read"
contains help "$tmp/out" "Exit codes"
check version 0 "$mdl" --version
contains version "$tmp/out" "medallion 0."
contains version "$tmp/out" "(build "
check no_args 2 "$mdl"
check unknown_command 2 "$mdl" frobnicate
contains unknown_command "$tmp/err" "unknown command 'frobnicate'"
check read_help 0 "$mdl" read --help
contains read_help "$tmp/out" "--schema TEXT"
check read_no_file 2 "$mdl" read
check read_bad_option 2 "$mdl" read x.csv --head -1
check read_missing_file 1 "$mdl" read "$tmp/nope.csv"
contains read_missing_file "$tmp/err" "nope.csv: cannot open"
check read_bad_schema 2 "$mdl" read x.csv --schema "a int99"
contains read_bad_schema "$tmp/err" "unknown type 'int99'"
check jsonl_needs_schema 2 "$mdl" read x.jsonl

schema="order_id string not null, customer_id string, product_id string not null, order_date date not null, order_ts timestamp not null, quantity int32 not null, unit_price decimal(12,2) not null, currency string not null, status string not null, country string not null, email string"
"$gen" 5000 7 --defects 0.02 >"$tmp/orders.csv" 2>"$tmp/gen.txt"
want_rejects=$(sed -n 's/.*must reject=\([0-9]*\).*/\1/p' "$tmp/gen.txt")
[ -n "$want_rejects" ] && [ "$want_rejects" -gt 0 ] || { echo "FAIL generator gave no defects"; exit 1; }

check read_orders 0 "$mdl" read "$tmp/orders.csv" --schema "$schema" --head 3 --show-rejects 1000
contains read_orders "$tmp/out" "rows read 5000, loaded $((5000 - want_rejects)), rejected $want_rejects"
contains read_orders "$tmp/out" "decimal(12,2)  no"
contains read_orders "$tmp/out" "is not a valid calendar date"
contains read_orders "$tmp/out" "expected 11 fields, found 10"
contains read_orders "$tmp/out" "first 3 rows:"

check read_orders_json 0 "$mdl" read "$tmp/orders.csv" --schema "$schema" --json --show-rejects 1000
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const want = Number(process.argv[2]);
if (r.rows_read !== 5000 || r.rows_rejected !== want || r.rejects.length !== want) {
  console.error("bad json summary", r.rows_read, r.rows_rejected, r.rejects.length, want); process.exit(1);
}
if (r.columns.length !== 11 || r.columns[6].type !== "decimal(12,2)") { console.error("bad columns"); process.exit(1); }
if (!r.rejects.every(x => Number.isInteger(x.line) && x.line >= 2 && typeof x.reason === "string")) {
  console.error("bad reject entries"); process.exit(1);
}' "$tmp/out" "$want_rejects" || { echo "FAIL read_orders_json content"; fails=$((fails + 1)); }

check read_strict 1 "$mdl" read "$tmp/orders.csv" --schema "$schema" --strict
contains read_strict "$tmp/err" "orders.csv:"

"$gen" 2000 7 >"$tmp/clean.csv" 2>/dev/null
check read_infer 0 "$mdl" read "$tmp/clean.csv" --head 0
contains read_infer "$tmp/out" "order_date   date "
contains read_infer "$tmp/out" "quantity     int32 "
contains read_infer "$tmp/out" "unit_price   decimal(18,2) "
contains read_infer "$tmp/out" "rows read 2000, loaded 2000, rejected 0"

printf '{"id":1,"ts":"2024-01-01T00:00:00Z","properties":{"page":"/home"},"x":true}\n{"id":"two","ts":"2024-01-02"}\n' >"$tmp/e.jsonl"
check read_jsonl 0 "$mdl" read "$tmp/e.jsonl" --schema "id int64, ts timestamp, page string, rest string" \
    --path page=properties.page --remainder-column rest
contains read_jsonl "$tmp/out" "rows read 2, loaded 1, rejected 1"
contains read_jsonl "$tmp/out" "'two' is not an integer"

if [ "$fails" -gt 0 ]; then
    echo "$fails CLI check(s) failed"
    exit 1
fi
echo "all CLI checks passed"
