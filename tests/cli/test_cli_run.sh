#!/usr/bin/env bash
# CLI tests for `medallion run` (docs/pipeline.md) over generated data with a project config
# written here: the plan (--dry-run: levels and dependencies), a whole run (every task ok, run
# records, two tasks at once), a rerun (up to date), retry of an injected transient failure,
# no retry of a quality failure (downstream skipped, alert, exit 3), a gold check failure that
# leaves the gold table at its previous version and alerts, resume of a failed run, a backfill
# of three dates, selection errors and config errors.
# Usage: test_cli_run.sh MEDALLION
set -euo pipefail
mdl=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
"$mdl" generate --scale 0.01 --seed 8 --out "$tmp/landing" --quiet
cp -r "$MDL_REPO/lakehouse/contracts" "$tmp/contracts"
mkdir -p "$tmp/proj/env"
cat >"$tmp/proj/medallion.yaml" <<YAML
project: run-test
paths:
  lake: ../lake
  landing: ../landing
  contracts: ../contracts
  models: $MDL_REPO/lakehouse/models
run:
  parallelism: 2
  max_attempts: 3
  retry_base: 10ms
  retry_max: 50ms
  task_timeout: 10m
alerts:
  - {name: test-file, type: file, path: ../alerts.jsonl, on: [task_failed, quality_failed, sla_missed]}
YAML
echo "run: {parallelism: 2}" >"$tmp/proj/env/local.yaml"
r() { "$mdl" run --project "$tmp/proj/medallion.yaml" "$@"; }
q() { "$mdl" query --lake "$tmp/lake" --csv "$1"; }
last_run() { q "SELECT run_id FROM _medallion.runs ORDER BY started_at DESC LIMIT 1" | tail -1; }

# the plan
check plan 0 r --dry-run
contains plan "$tmp/out" "30 task(s) planned; nothing was run"
grep -qE '^0 +bronze\.snowflake_orders +ingest' "$tmp/out" || { echo "FAIL plan_level0"; fails=$((fails + 1)); }
grep -qE '^1 +silver\.products +build +bronze\.snowflake_products *$' "$tmp/out" || { echo "FAIL plan_level1"; fails=$((fails + 1)); }
# a relationship check's target is a dependency too: silver.orders checks against silver.customers
grep -qE '^2 +silver\.orders +build +bronze\.snowflake_orders, silver\.customers *$' "$tmp/out" || { echo "FAIL plan_check_edge"; fails=$((fails + 1)); }
check plan_select 0 r --dry-run --select +gold.customer_360
contains plan_select "$tmp/out" "gold.customer_360"
grep -qE '^[0-9]+ +gold\.product_performance' "$tmp/out" && { echo "FAIL plan_select: product_performance is not upstream"; fails=$((fails + 1)); }
check plan_down 0 r --dry-run --select silver.products+
contains plan_down "$tmp/out" "gold.product_performance"
grep -qE '^[0-9]+ +bronze\.' "$tmp/out" && { echo "FAIL plan_down: bronze is upstream"; fails=$((fails + 1)); }

# a whole run
check run_all 0 r
contains run_all "$tmp/out" "success in"
contains run_all "$tmp/out" "30 ok, 0 up to date, 0 failed, 0 failed checks, 0 skipped"
[ -d "$tmp/lake/gold/customer_360/_delta_log" ] || { echo "FAIL gold built"; fails=$((fails + 1)); }
# two tasks ran at once (parallelism 2): some pair of task intervals overlaps
q "SELECT count(*) AS overlaps FROM _medallion.task_runs a JOIN _medallion.task_runs b ON a.run_id = b.run_id AND a.task < b.task AND a.started_at < b.ended_at AND b.started_at < a.ended_at" >"$tmp/q1"
[ "$(tail -1 "$tmp/q1")" -gt 0 ] || { echo "FAIL parallel: no two tasks overlapped"; fails=$((fails + 1)); }
# and every model started after the tables it reads had finished
q "SELECT count(*) FROM _medallion.task_runs m JOIN _medallion.task_runs u ON m.run_id = u.run_id AND m.task = 'silver.orders' AND u.task = 'bronze.snowflake_orders' WHERE m.started_at < u.ended_at" >"$tmp/q2"
[ "$(tail -1 "$tmp/q2")" = 0 ] || { echo "FAIL order: silver.orders started before its bronze finished"; fails=$((fails + 1)); }

# a rerun: bronze and the incremental/scd2 models have nothing to do
check rerun 0 r
contains rerun "$tmp/out" "failed, 0 failed checks, 0 skipped"
grep -qE '^silver\.orders +build +up_to_date' "$tmp/out" || { echo "FAIL rerun: silver.orders not up to date"; fails=$((fails + 1)); }

# an injected transient failure is retried (2 failures, then success)
MEDALLION_TEST_FAIL=silver.products:2 check retry 0 r --select silver.products
contains retry "$tmp/out" "retry   silver.products (attempt 3)"
q "SELECT attempts, status FROM _medallion.task_runs WHERE run_id = '$(last_run)' AND task = 'silver.products'" >"$tmp/q3"
contains retry_record "$tmp/q3" "3,success"

# a quality failure is not retried; downstream is skipped; alert; exit 3
MEDALLION_TEST_FAIL=silver.products:9:quality check quality 3 r --select silver.products+
contains quality "$tmp/out" "QUALITY silver.products"
contains quality "$tmp/out" "skip    gold.dim_product"
q "SELECT task, attempts, status FROM _medallion.task_runs WHERE run_id = '$(last_run)' ORDER BY task" >"$tmp/q4"
contains quality_once "$tmp/q4" "silver.products,1,quality_failed"
contains quality_skip "$tmp/q4" "gold.product_performance,0,skipped"
contains quality_alert "$tmp/alerts.jsonl" '"event":"quality_failed"'

# a gold check failure: the table keeps its version (time travel shows the old rows)
v_before=$("$mdl" table describe "$tmp/lake/gold/product_performance" | awk '/^version:/ {print $2}')
rows_before=$(q "SELECT count(*) FROM gold.product_performance" | tail -1)
sed -i 's/^  - {row_count: {min: 1}}$/  - {row_count: {min: 1, max: 3}}/' "$tmp/contracts/gold/product_performance.yaml"
grep -q 'max: 3' "$tmp/contracts/gold/product_performance.yaml" || { echo "FAIL fixture: no row_count check in product_performance"; fails=$((fails + 1)); }
check gold_fail 3 r --select gold.product_performance
contains gold_fail "$tmp/out" "quality_failed"
v_after=$("$mdl" table describe "$tmp/lake/gold/product_performance" | awk '/^version:/ {print $2}')
[ "$v_before" = "$v_after" ] || { echo "FAIL gold_version: $v_before -> $v_after"; fails=$((fails + 1)); }
[ "$(q "SELECT count(*) FROM gold.product_performance" | tail -1)" = "$rows_before" ] || { echo "FAIL gold_rows"; fails=$((fails + 1)); }
grep -q '"table":"gold.product_performance"' "$tmp/alerts.jsonl" || { echo "FAIL gold_alert"; fails=$((fails + 1)); }
sed -i 's/^  - {row_count: {min: 1, max: 3}}$/  - {row_count: {min: 1}}/' "$tmp/contracts/gold/product_performance.yaml"

# resume: a task that fails every attempt, its downstream skipped; --resume runs only those
MEDALLION_TEST_FAIL=silver.customers:9 check failing 1 r
contains failing "$tmp/out" "FAILED  silver.customers"
failed_run=$(last_run)
# a resume that fails again, resumed in turn: the second resume still reruns only those
MEDALLION_TEST_FAIL=silver.customers:9 check resume_fails 1 r --resume "$failed_run"
grep -q "start   bronze.crm_accounts" "$tmp/out" && { echo "FAIL resume_fails reran a task that had succeeded"; fails=$((fails + 1)); }
failed_run=$(last_run)
check resume 0 r --resume "$failed_run"
contains resume "$tmp/out" "start   silver.customers"
grep -q "start   bronze.crm_accounts" "$tmp/out" && { echo "FAIL resume reran a task that had succeeded"; fails=$((fails + 1)); }
q "SELECT resumed_from FROM _medallion.runs ORDER BY started_at DESC LIMIT 1" >"$tmp/q5"
contains resume_record "$tmp/q5" "$failed_run"
# resuming a --select run without --select runs only what that run left undone
MEDALLION_TEST_FAIL=silver.products:9:quality check sel_fail 3 r --select silver.products+
check resume_sel 0 r --resume "$(last_run)"
contains resume_sel "$tmp/out" "start   silver.products"
grep -q "start   silver.customers" "$tmp/out" && { echo "FAIL resume_sel ran a task the resumed run did not have"; fails=$((fails + 1)); }
check resume_unknown 1 r --resume no-such-run
contains resume_unknown "$tmp/err" "no run 'no-such-run'"

# a backfill of three dates: three runs, each with its date
check backfill 0 r --from 2024-01-01 --to 2024-01-03 --select bronze.crm_accounts
q "SELECT CAST(run_date AS VARCHAR) FROM _medallion.runs WHERE run_date < DATE '2025-01-01' ORDER BY run_date" >"$tmp/q6"
[ "$(tr '\n' ' ' <"$tmp/q6")" = "CAST(run_date AS VARCHAR) 2024-01-01 2024-01-02 2024-01-03 " ] ||
    grep -c 2024-01-0 "$tmp/q6" | grep -q '^3$' || { echo "FAIL backfill: $(cat "$tmp/q6")"; fails=$((fails + 1)); }

# usage and config errors
check bad_select 2 r --select no_such_table
contains bad_select "$tmp/err" "names no table, layer or tag"
echo "run: {paralelism: 2}" >"$tmp/proj/env/local.yaml"
check bad_config 1 r --dry-run
contains bad_config "$tmp/err" "local.yaml:1:"
contains bad_config "$tmp/err" "parallelism"
echo "run: {parallelism: 2}" >"$tmp/proj/env/local.yaml"
check bad_env 1 r --env staging --dry-run
check help 0 "$mdl" run --help
contains help "$tmp/out" "Usage: medallion run"
check runs_list 0 "$mdl" runs list --lake "$tmp/lake"
contains runs_list "$tmp/out" "quality_failed"
check runs_list_project 0 "$mdl" runs list --project "$tmp/proj" --limit 1
contains runs_list_project "$tmp/out" "run_id"
check runs_show 0 "$mdl" runs show "$failed_run" --lake "$tmp/lake"
contains runs_show "$tmp/out" "silver.customers"

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all run CLI checks passed"
