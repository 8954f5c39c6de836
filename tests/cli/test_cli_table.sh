#!/usr/bin/env bash
# CLI tests for `medallion table`: create a Delta table, append CSV and Parquet (rejects
# reported), idempotent --txn appends, overwrite, describe/files/history (tables and --json),
# time travel with --version, the data read back with `parquet cat`, optimize and vacuum
# (--dry-run, --retain-hours 0, --json), partitioned tables (--partition-by on create and
# append), replacing partitions (--replace-where), and errors.
# Usage: test_cli_table.sh MEDALLION GEN_ORDERS
set -euo pipefail
mdl=$1
gen=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
json() { # json NAME CONDITION: a JavaScript condition on d, the JSON in $tmp/out
    if ! node -e 'const d = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
if (!new Function("d", "return (" + process.argv[2] + ");")(d)) {
    console.log(JSON.stringify(d).slice(0, 400));
    process.exit(1);
}' "$tmp/out" "$2"; then
        echo "FAIL $1: JSON condition failed: $2"
        fails=$((fails + 1))
    fi
}

schema="order_id string not null, customer_id string, product_id string not null, order_date date not null, order_ts timestamp not null, quantity int32 not null, unit_price decimal(12,2) not null, currency string not null, status string not null, country string not null, email string"
"$gen" 3000 5 >"$tmp/orders.csv" 2>/dev/null
# medallion writes whole-second timestamps without ".000"; everything else is already canonical
sed 's/\.000Z/Z/g' "$tmp/orders.csv" >"$tmp/canonical.csv"
"$gen" 2000 6 --defects 0.02 >"$tmp/dirty.csv" 2>"$tmp/gen.txt"
want_rejects=$(sed -n 's/.*must reject=\([0-9]*\).*/\1/p' "$tmp/gen.txt")
t="$tmp/lake/orders"

# usage
check table_help 0 "$mdl" table --help
contains table_help "$tmp/out" "--txn APP_ID:VERSION"
contains table_help "$tmp/out" "medallion table history"
check table_listed 0 "$mdl" --help
contains table_listed "$tmp/out" "table"
check no_args 2 "$mdl" table
check unknown_sub 2 "$mdl" table frob "$t"
contains unknown_sub "$tmp/err" "unknown subcommand 'frob'"
contains unknown_sub "$tmp/err" "medallion table --help"
check create_needs_schema 2 "$mdl" table create "$t"
check append_needs_files 2 "$mdl" table append "$t"
check bad_txn_no_colon 2 "$mdl" table append "$t" "$tmp/orders.csv" --txn app1
check bad_txn_version 2 "$mdl" table append "$t" "$tmp/orders.csv" --txn app:x
check bad_txn_no_app 2 "$mdl" table append "$t" "$tmp/orders.csv" --txn :3
check bad_codec 2 "$mdl" table append "$t" "$tmp/orders.csv" --codec lzo
check bad_version 2 "$mdl" table describe "$t" --version -1
check bad_ext 2 "$mdl" table append "$t" "$tmp/gen.txt"

# missing table
check append_missing 1 "$mdl" table append "$t" "$tmp/orders.csv"
contains append_missing "$tmp/err" "medallion table create"
check describe_missing 1 "$mdl" table describe "$t"
check history_missing 1 "$mdl" table history "$t"
mkdir -p "$tmp/empty"
check append_empty_dir 1 "$mdl" table append "$tmp/empty" "$tmp/orders.csv"
contains append_empty_dir "$tmp/err" "medallion table create"
check history_empty_dir 1 "$mdl" table history "$tmp/empty"
check files_empty_dir 1 "$mdl" table files "$tmp/empty"

# create
check create 0 "$mdl" table create "$t" --schema "$schema" --name orders --description "test orders"
contains create "$tmp/out" "created $t (version 0)"
check create_again 1 "$mdl" table create "$t" --schema "$schema"
check append_missing_still 1 "$mdl" table append "$tmp/lake/other" "$tmp/orders.csv"
check describe_empty 0 "$mdl" table describe "$t"
contains describe_empty "$tmp/out" "files:        0"

# append, then the same transaction twice
check append 0 "$mdl" table append "$t" "$tmp/orders.csv" --quiet
contains append "$tmp/out" "committed version 1: 3000 rows in 1 input file(s), 0 rejected"
check append_txn 0 "$mdl" table append "$t" "$tmp/orders.csv" --txn app:1
contains append_txn "$tmp/out" "committed version 2: 3000 rows"
check append_txn_again 0 "$mdl" table append "$t" "$tmp/orders.csv" --txn app:1
contains append_txn_again "$tmp/out" "transaction app:1 was already committed; nothing to do"

check describe 0 "$mdl" table describe "$t"
contains describe "$tmp/out" "version:      2"
contains describe "$tmp/out" "name:         orders"
contains describe "$tmp/out" "description:  test orders"
contains describe "$tmp/out" "partitions:   none"
contains describe "$tmp/out" "files:        2"
contains describe "$tmp/out" "records:      6000"
contains describe "$tmp/out" "unit_price"
contains describe "$tmp/out" "decimal(12,2)"
check describe_json 0 "$mdl" table describe "$t" --json
json describe_json 'd.version === 2 && d.name === "orders" && d.num_files === 2 && d.num_records === 6000 && d.schema.length === 11 && d.schema[0].name === "order_id" && d.schema[0].nullable === false && d.schema[6].type === "decimal(12,2)" && d.partition_columns.length === 0 && d.size_bytes > 0'

check files 0 "$mdl" table files "$t"
contains files "$tmp/out" ".parquet"
contains files "$tmp/out" "2 active file(s) at version 2"
check files_json 0 "$mdl" table files "$t" --json
json files_json 'd.length === 2 && d.every(f => f.path.endsWith(".parquet") && f.size > 0 && f.num_records === 3000 && /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(f.modification_time) && f.stats.numRecords === 3000)'

# time travel
check describe_v1 0 "$mdl" table describe "$t" --version 1
contains describe_v1 "$tmp/out" "version:      1"
contains describe_v1 "$tmp/out" "files:        1"
check files_v1_json 0 "$mdl" table files "$t" --version 1 --json
json files_v1_json 'd.length === 1'
check version_missing 1 "$mdl" table describe "$t" --version 99

# rejected rows are counted and listed; --strict commits nothing
check append_dirty 0 "$mdl" table append "$t" "$tmp/dirty.csv"
contains append_dirty "$tmp/out" "committed version 3:"
contains append_dirty "$tmp/out" "$want_rejects rejected"
contains append_dirty "$tmp/err" "rejected: "
check append_strict 1 "$mdl" table append "$t" "$tmp/dirty.csv" --strict
check after_strict 0 "$mdl" table describe "$t" --json
json after_strict 'd.version === 3 && d.num_files === 3'

# a Parquet input with another schema is refused
check convert_other 0 "$mdl" convert "$tmp/orders.csv" "$tmp/other.parquet" \
    --schema "order_id string not null, customer_id string" --quiet
check append_wrong_parquet 1 "$mdl" table append "$t" "$tmp/other.parquet"
contains append_wrong_parquet "$tmp/err" "schema"

# overwrite with a Parquet input
check convert 0 "$mdl" convert "$tmp/orders.csv" "$tmp/orders.parquet" --schema "$schema" --quiet
check overwrite 0 "$mdl" table append "$t" "$tmp/orders.parquet" --overwrite --codec snappy
contains overwrite "$tmp/out" "committed version 4: 3000 rows in 1 input file(s), 0 rejected"
check describe_after_overwrite 0 "$mdl" table describe "$t"
contains describe_after_overwrite "$tmp/out" "files:        1"
contains describe_after_overwrite "$tmp/out" "records:      3000"

check history 0 "$mdl" table history "$t"
contains history "$tmp/out" "CREATE TABLE"
if [ "$(sed -n 3p "$tmp/out" | awk '{print $1}')" != 4 ]; then
    echo "FAIL history: newest commit (4) is not first"
    fails=$((fails + 1))
fi
check history_json 0 "$mdl" table history "$t" --json
json history_json 'd.length === 5 && d.map(c => c.version).join() === "4,3,2,1,0" && d[0].removes === 3 && d[0].adds === 1 && d[3].adds === 1 && d[4].adds === 0 && /Z$/.test(d[0].timestamp) && typeof d[0].operation === "string"'

# the active files hold the rows: parquet cat gives the source back
check files_final 0 "$mdl" table files "$t" --json
node -e 'for (const f of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))) console.log(f.path)' \
    "$tmp/out" >"$tmp/paths"
: >"$tmp/cat.csv"
rows=0
while read -r p; do
    check "parquet_cat_$p" 0 "$mdl" parquet cat "$t/$p"
    rows=$((rows + $(wc -l <"$tmp/out") - 1))
    cp "$tmp/out" "$tmp/cat.csv"
done <"$tmp/paths"
[ "$rows" -eq 3000 ] || { echo "FAIL parquet cat of the active files: $rows rows, expected 3000"; fails=$((fails + 1)); }
cmp -s "$tmp/cat.csv" "$tmp/canonical.csv" || { echo "FAIL the active file differs from the source CSV"; fails=$((fails + 1)); }

# time travel still sees the older files and their rows
check files_v2 0 "$mdl" table files "$t" --version 2 --json
node -e 'for (const f of JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))) console.log(f.path)' \
    "$tmp/out" >"$tmp/paths2"
rows=0
while read -r p; do
    check "parquet_cat_v2_$p" 0 "$mdl" parquet cat "$t/$p"
    rows=$((rows + $(wc -l <"$tmp/out") - 1))
done <"$tmp/paths2"
[ "$rows" -eq 6000 ] || { echo "FAIL parquet cat of the version 2 files: $rows rows, expected 6000"; fails=$((fails + 1)); }

# maintenance: usage errors
check optimize_bad_target 2 "$mdl" table optimize "$t" --target-mb 0
check optimize_json 2 "$mdl" table optimize "$t" --json
check vacuum_bad_retain 2 "$mdl" table vacuum "$t" --retain-hours -1
check dry_run_not_vacuum 2 "$mdl" table describe "$t" --dry-run
check target_not_optimize 2 "$mdl" table vacuum "$t" --target-mb 4
check codec_not_vacuum 2 "$mdl" table vacuum "$t" --codec snappy
check optimize_missing 1 "$mdl" table optimize "$tmp/lake/other"
check vacuum_missing 1 "$mdl" table vacuum "$tmp/empty"
contains vacuum_missing "$tmp/err" "medallion table create"

# optimize: one file is nothing to do; three small ones become one
check optimize_nothing 0 "$mdl" table optimize "$t"
contains optimize_nothing "$tmp/out" "nothing to optimize"
check append_more1 0 "$mdl" table append "$t" "$tmp/orders.csv" --quiet
check append_more2 0 "$mdl" table append "$t" "$tmp/orders.csv" --quiet
check optimize 0 "$mdl" table optimize "$t" --target-mb 4 --codec snappy
contains optimize "$tmp/out" "optimized: 3 files -> 1 files (version 7)"
check describe_optimized 0 "$mdl" table describe "$t" --json
json describe_optimized 'd.version === 7 && d.num_files === 1 && d.num_records === 9000'
check history_optimized 0 "$mdl" table history "$t" --json
json history_optimized 'd[0].operation === "OPTIMIZE" && d[0].removes === 3 && d[0].adds === 1'
check describe_pre_optimize 0 "$mdl" table describe "$t" --version 6 --json
json describe_pre_optimize 'd.num_files === 3 && d.num_records === 9000'
check files_optimized 0 "$mdl" table files "$t" --json
active=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))[0].path)' "$tmp/out")
check cat_optimized 0 "$mdl" parquet cat "$t/$active"
[ "$(($(wc -l <"$tmp/out") - 1))" -eq 9000 ] || { echo "FAIL the optimized file does not hold 9000 rows"; fails=$((fails + 1)); }

# vacuum: recent files stay by default; a dry run lists the 6 replaced files and an orphan
echo x >"$t/orphan.parquet"
check vacuum_default 0 "$mdl" table vacuum "$t"
contains vacuum_default "$tmp/out" "0 file(s) deleted"
check vacuum_dry 0 "$mdl" table vacuum "$t" --retain-hours 0 --dry-run --json
json vacuum_dry "d.dry_run === true && d.count === 7 && d.files.length === 7 && d.files.includes(\"orphan.parquet\") && !d.files.includes(\"$active\") && d.files.every(f => !f.startsWith(\"_delta_log\"))"
[ "$(ls "$t" | grep -c '\.parquet$')" -eq 8 ] || { echo "FAIL vacuum --dry-run deleted files"; fails=$((fails + 1)); }
check vacuum 0 "$mdl" table vacuum "$t" --retain-hours 0
contains vacuum "$tmp/out" "orphan.parquet"
contains vacuum "$tmp/out" "7 file(s) deleted"
[ "$(ls "$t" | grep -c '\.parquet$')" -eq 1 ] || { echo "FAIL vacuum left other than the active file"; fails=$((fails + 1)); }
[ -f "$t/$active" ] || { echo "FAIL vacuum deleted the active file"; fails=$((fails + 1)); }
check cat_after_vacuum 0 "$mdl" parquet cat "$t/$active"
check describe_after_vacuum 0 "$mdl" table describe "$t" --json
json describe_after_vacuum 'd.version === 7 && d.num_records === 9000'
check vacuum_again 0 "$mdl" table vacuum "$t" --retain-hours 0 --json
json vacuum_again 'd.count === 0 && d.dry_run === false'

# partitioned tables: folders per partition, describe shows the columns, bad columns refused
p="$tmp/lake/parted"
check part_create 0 "$mdl" table create "$p" --schema "$schema" --partition-by "status, country"
check part_describe_empty 0 "$mdl" table describe "$p"
contains part_describe_empty "$tmp/out" "partitions:   status, country"
check part_append 0 "$mdl" table append "$p" "$tmp/orders.csv" --quiet
contains part_append "$tmp/out" "committed version 1: 3000 rows"
[ -d "$p/status=shipped/country=US" ] || { echo "FAIL no status=shipped/country=US folder"; fails=$((fails + 1)); }
check part_describe_json 0 "$mdl" table describe "$p" --json
json part_describe_json 'd.partition_columns.join() === "status,country" && d.num_records === 3000 && d.num_files > 1'
check part_files 0 "$mdl" table files "$p"
contains part_files "$tmp/out" "status=shipped/country=US/part-"
check part_bad_column 1 "$mdl" table create "$tmp/lake/bad" --schema "$schema" --partition-by nope
contains part_bad_column "$tmp/err" "partition column 'nope' is not in the schema"
check part_empty_name 2 "$mdl" table create "$tmp/lake/bad" --schema "$schema" --partition-by "status,"
check part_not_create 2 "$mdl" table describe "$p" --partition-by status

# append --partition-by: creates a missing table partitioned (schema from --schema or from a
# Parquet input), checks an existing table's partitioning
q="$tmp/lake/appended"
check append_part_needs_schema 1 "$mdl" table append "$q" "$tmp/orders.csv" --partition-by status
contains append_part_needs_schema "$tmp/err" "give its columns with --schema"
check append_part_create 0 "$mdl" table append "$q" "$tmp/orders.csv" --partition-by status --schema "$schema" --quiet
contains append_part_create "$tmp/out" "created $q partitioned by status (version 0)"
contains append_part_create "$tmp/out" "committed version 1: 3000 rows"
[ -d "$q/status=paid" ] || { echo "FAIL append --partition-by made no status=paid folder"; fails=$((fails + 1)); }
check append_part_same 0 "$mdl" table append "$q" "$tmp/orders.csv" --partition-by status --quiet
contains append_part_same "$tmp/out" "committed version 2: 3000 rows"
check append_part_differs 1 "$mdl" table append "$q" "$tmp/orders.csv" --partition-by country
contains append_part_differs "$tmp/err" "is partitioned by 'status', but --partition-by says 'country'"
check append_part_unpartitioned 1 "$mdl" table append "$t" "$tmp/orders.csv" --partition-by status
contains append_part_unpartitioned "$tmp/err" "is not partitioned, but --partition-by says 'status'"
check append_part_parquet 0 "$mdl" table append "$tmp/lake/fromparquet" "$tmp/orders.parquet" --partition-by "country" --quiet
contains append_part_parquet "$tmp/out" "committed version 1: 3000 rows"
check append_part_parquet_describe 0 "$mdl" table describe "$tmp/lake/fromparquet" --json
json append_part_parquet_describe 'd.partition_columns.join() === "country" && d.num_records === 3000 && d.schema.length === 11'

# --replace-where: only the matching partitions are replaced, rows must match
awk -F, 'NR == 1 || $9 == "paid"' "$tmp/orders.csv" >"$tmp/paid.csv"
awk -F, 'NR == 1 || $9 == "paid" || $9 == "pending"' "$tmp/orders.csv" >"$tmp/paid_pending.csv"
paid=$(($(wc -l <"$tmp/paid.csv") - 1))
pending=$(($(wc -l <"$tmp/paid_pending.csv") - 1 - paid))
check rw_bad_syntax 2 "$mdl" table append "$q" "$tmp/paid.csv" --replace-where "status ~ paid"
contains rw_bad_syntax "$tmp/err" "--replace-where: expected COL=VALUE"
check rw_with_overwrite 2 "$mdl" table append "$q" "$tmp/paid.csv" --replace-where status=paid --overwrite
check rw_not_append 2 "$mdl" table describe "$q" --replace-where status=paid
check rw_data_column 1 "$mdl" table append "$q" "$tmp/paid.csv" --replace-where "country = US"
contains rw_data_column "$tmp/err" "'country', which is not a partition column (status)"
check rw_mismatch 1 "$mdl" table append "$q" "$tmp/paid_pending.csv" --replace-where "status = 'paid'"
contains rw_mismatch "$tmp/err" "does not match replaceWhere"
contains rw_mismatch "$tmp/err" "has status = 'pending', not status = 'paid'"
check rw_mismatch_nothing 0 "$mdl" table describe "$q" --json
json rw_mismatch_nothing 'd.version === 2 && d.num_records === 6000'
check rw 0 "$mdl" table append "$q" "$tmp/paid.csv" --replace-where "status = 'paid'" --quiet
contains rw "$tmp/out" "committed version 3: $paid rows"
check rw_describe 0 "$mdl" table describe "$q" --json
json rw_describe "d.num_records === 6000 - $paid"
check rw_history 0 "$mdl" table history "$q" --json
json rw_history 'd[0].operation === "WRITE" && d[0].removes === 2 && d[0].adds === 1'
# commitInfo records what the write did, as Spark's WRITE does
commit3="$q/_delta_log/00000000000000000003.json"
contains rw_commit_info "$commit3" '"operationParameters":{"mode":"Overwrite","partitionBy":"[\"status\"]","predicate":"status = '"'"'paid'"'"'"}'
contains rw_commit_info "$commit3" "\"operationMetrics\":{\"numFiles\":\"1\",\"numOutputRows\":\"$paid\","
contains rw_commit_info "$commit3" '"numRemovedFiles":"2"'
check rw_in 0 "$mdl" table append "$q" "$tmp/paid_pending.csv" --replace-where "status IN (paid, 'pending')" --quiet
check rw_in_describe 0 "$mdl" table describe "$q" --json
json rw_in_describe "d.num_records === 6000 - $paid - $pending && d.version === 4"
check rw_in_history 0 "$mdl" table history "$q" --json
json rw_in_history 'd[0].removes === 3 && d[0].adds === 2'
check rw_and 0 "$mdl" table append "$q" "$tmp/paid.csv" --replace-where status=paid --replace-where "status >= 'p'" --quiet
check rw_and_history 0 "$mdl" table history "$q" --json
json rw_and_history 'd[0].version === 5 && d[0].removes === 1 && d[0].adds === 1'
check rw_time_travel 0 "$mdl" table describe "$q" --version 2 --json
json rw_time_travel 'd.num_records === 6000'

# checkpoints: every tenth commit writes one, and describe says which one it read
c="$tmp/lake/checkpointed"
head -51 "$tmp/orders.csv" > "$tmp/fifty.csv"
check cp_create 0 "$mdl" table create "$c" --schema "$schema"
for i in $(seq 1 12); do
    check "cp_append_$i" 0 "$mdl" table append "$c" "$tmp/fifty.csv" --quiet
done
check cp_describe 0 "$mdl" table describe "$c"
contains cp_describe "$tmp/out" "checkpoint:   version 10 (+ 2 commit(s) after it)"
check cp_describe_json 0 "$mdl" table describe "$c" --json
json cp_describe_json 'd.version === 12 && d.checkpoint_version === 10 && d.num_records === 600'
check cp_describe_v9 0 "$mdl" table describe "$c" --version 9 --json
json cp_describe_v9 'd.version === 9 && d.checkpoint_version === null && d.num_records === 450'
contains cp_last "$c/_delta_log/_last_checkpoint" '{"version":10,"size":12,'

# table properties: a custom checkpoint interval, an append-only table, user keys
p="$tmp/lake/props"
check prop_create 0 "$mdl" table create "$p" --schema "$schema" --property delta.checkpointInterval=3 --property delta.appendOnly=true --property owner=data-team
for i in 1 2 3 4; do
    check "prop_append_$i" 0 "$mdl" table append "$p" "$tmp/fifty.csv" --quiet
done
check prop_describe 0 "$mdl" table describe "$p"
contains prop_describe "$tmp/out" "checkpoint:   version 3 (+ 1 commit(s) after it)"
contains prop_describe "$tmp/out" "properties:   delta.checkpointInterval = 3"
contains prop_describe "$tmp/out" "owner = data-team"
check prop_describe_json 0 "$mdl" table describe "$p" --json
json prop_describe_json 'd.properties["delta.appendOnly"] === "true" && d.properties.owner === "data-team" && d.checkpoint_version === 3'
check prop_append_only 1 "$mdl" table append "$p" "$tmp/fifty.csv" --overwrite
contains prop_append_only "$tmp/err" "append-only (delta.appendOnly = true): overwrite would remove rows"
check prop_unknown 1 "$mdl" table create "$tmp/lake/p2" --schema "$schema" --property delta.enableChangeDataFeed=true
contains prop_unknown "$tmp/err" "table property 'delta.enableChangeDataFeed' is not supported"
check prop_bad_interval 1 "$mdl" table create "$tmp/lake/p2" --schema "$schema" --property delta.checkpointInterval=0
contains prop_bad_interval "$tmp/err" "must be a positive integer, not '0'"
check prop_syntax 2 "$mdl" table create "$tmp/lake/p2" --schema "$schema" --property owner
contains prop_syntax "$tmp/err" "--property: expected KEY=VALUE"
check prop_not_create 2 "$mdl" table append "$p" "$tmp/fifty.csv" --property a=b

# keep the valid tables for the DuckDB oracle over every table (test_oracle_all_tables.sh)
if [ -n "${MDL_TEST_KEEP_TABLES:-}" ]; then
    mkdir -p "$MDL_TEST_KEEP_TABLES/test_cli_table"
    cp -r "$tmp/lake/." "$MDL_TEST_KEEP_TABLES/test_cli_table/"
fi

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all table CLI checks passed"
