#!/usr/bin/env bash
# CLI tests for `medallion convert` and `medallion parquet`: CSV -> Parquet -> CSV/JSON lines
# round trips (the text must come back identical), rejects reported, atomic output on failure,
# inspection subcommands, usage errors. Usage: test_cli_parquet.sh MEDALLION GEN_ORDERS
set -euo pipefail
mdl=$1
gen=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

schema="order_id string not null, customer_id string, product_id string not null, order_date date not null, order_ts timestamp not null, quantity int32 not null, unit_price decimal(12,2) not null, currency string not null, status string not null, country string not null, email string"
"$gen" 4000 3 >"$tmp/clean.csv" 2>/dev/null
# medallion writes whole-second timestamps without ".000"; everything else is already canonical
sed 's/\.000Z/Z/g' "$tmp/clean.csv" >"$tmp/canonical.csv"
"$gen" 4000 3 --defects 0.02 >"$tmp/dirty.csv" 2>"$tmp/gen.txt"
want_rejects=$(sed -n 's/.*must reject=\([0-9]*\).*/\1/p' "$tmp/gen.txt")

check convert_help 0 "$mdl" convert --help
contains convert_help "$tmp/out" "--codec NAME"
check parquet_help 0 "$mdl" parquet --help
check convert_no_args 2 "$mdl" convert
check convert_bad_ext 2 "$mdl" convert "$tmp/clean.csv" "$tmp/out.xyz"
contains convert_bad_ext "$tmp/err" "use --to csv|jsonl|parquet"
check convert_bad_codec 2 "$mdl" convert "$tmp/clean.csv" "$tmp/o.parquet" --codec lzo
check convert_jsonl_needs_schema 2 "$mdl" convert "$tmp/x.jsonl" "$tmp/o.parquet"

for codec in zstd snappy gzip lz4_raw none; do
    check "csv_to_parquet_$codec" 0 "$mdl" convert "$tmp/clean.csv" "$tmp/$codec.parquet" \
        --schema "$schema" --codec "$codec" --row-group-rows 1500 --quiet
    contains "csv_to_parquet_$codec" "$tmp/out" "4000 rows written, 0 rejected"
    check "parquet_to_csv_$codec" 0 "$mdl" convert "$tmp/$codec.parquet" "$tmp/$codec.csv"
    if ! cmp -s "$tmp/canonical.csv" "$tmp/$codec.csv"; then
        echo "FAIL roundtrip_$codec: CSV -> Parquet -> CSV changed the data"
        diff "$tmp/canonical.csv" "$tmp/$codec.csv" | head -5
        fails=$((fails + 1))
    fi
done

check dirty_to_parquet 0 "$mdl" convert "$tmp/dirty.csv" "$tmp/dirty.parquet" --schema "$schema"
contains dirty_to_parquet "$tmp/out" "rows written, $want_rejects rejected"
contains dirty_to_parquet "$tmp/err" "rejected: "

check strict_fails 1 "$mdl" convert "$tmp/dirty.csv" "$tmp/strict.parquet" --schema "$schema" --strict
if [ -e "$tmp/strict.parquet" ] || ls "$tmp"/.strict.parquet.* >/dev/null 2>&1; then
    echo "FAIL strict_fails: a failed conversion left a file behind"
    fails=$((fails + 1))
fi

check to_jsonl 0 "$mdl" convert "$tmp/zstd.parquet" "$tmp/o.jsonl"
check jsonl_back 0 "$mdl" convert "$tmp/o.jsonl" "$tmp/back.parquet" --schema "$schema"
check back_to_csv 0 "$mdl" convert "$tmp/back.parquet" "$tmp/back.csv"
cmp -s "$tmp/canonical.csv" "$tmp/back.csv" || { echo "FAIL jsonl roundtrip changed the data"; fails=$((fails + 1)); }

check parquet_schema 0 "$mdl" parquet schema "$tmp/zstd.parquet"
contains parquet_schema "$tmp/out" "TIMESTAMP(MICROS,utc)"
contains parquet_schema "$tmp/out" "DECIMAL(12,2)"
check parquet_meta 0 "$mdl" parquet meta "$tmp/zstd.parquet"
contains parquet_meta "$tmp/out" "rows: 4000"
contains parquet_meta "$tmp/out" "created by: medallion version"
check parquet_meta_json 0 "$mdl" parquet meta "$tmp/zstd.parquet" --json
node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
if (Number(d.num_rows) !== 4000 || d.row_groups.length !== 3) process.exit(1);' "$tmp/out" ||
    { echo "FAIL parquet_meta_json content"; fails=$((fails + 1)); }
check parquet_head 0 "$mdl" parquet head "$tmp/zstd.parquet" --rows 2 --columns order_id,quantity
contains parquet_head "$tmp/out" "ORD-00000001"
check parquet_cat 0 "$mdl" parquet cat "$tmp/zstd.parquet"
cmp -s "$tmp/out" "$tmp/canonical.csv" || { echo "FAIL parquet cat differs from the source CSV"; fails=$((fails + 1)); }
check parquet_head_json 0 "$mdl" parquet head "$tmp/zstd.parquet" --rows 3 --json
[ "$(wc -l <"$tmp/out")" -eq 3 ] || { echo "FAIL parquet head --json: expected 3 lines"; fails=$((fails + 1)); }
contains parquet_head_json "$tmp/out" '"order_id":"ORD-00000001"'
check parquet_not_parquet 1 "$mdl" parquet meta "$tmp/clean.csv"
check parquet_bad_sub 2 "$mdl" parquet frob "$tmp/zstd.parquet"

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all convert/parquet CLI checks passed"
