#!/usr/bin/env bash
# The demonstration job run by `make demo` (expects the release build in build/release):
# the seed company's landing zone at scale 0.1 (docs/landing.md) generated into ./landing when
# it is not there yet, then one pipeline run (docs/pipeline.md) — `medallion run` with the
# project config lakehouse/medallion.yaml, environment local: every bronze table ingested by
# its contract into ./lake and every silver and gold model built, as one DAG of tasks run two
# at a time, each model checked before it is published, the run recorded in
# lake/_medallion/runs and task_runs — then a gold query and where to look next.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=build/release/medallion
scale=${DEMO_SCALE:-0.1}

if [ -d landing ] && [ -n "$(ls -A landing)" ]; then
    echo "== landing/ is there already (from an earlier 'make demo'; delete it to generate anew)"
else
    echo "== medallion generate --scale $scale --seed 42 --out landing"
    "$bin" generate --scale "$scale" --seed 42 --out landing
fi
echo
echo "== medallion run --project lakehouse/medallion.yaml --env local"
echo "   (ingest every bronze contract, build every silver and gold model: one DAG, into ./lake)"
"$bin" run --project lakehouse/medallion.yaml --env local
echo
echo "== gold: revenue by value segment (gold.customer_360)"
"$bin" query --lake lake "SELECT value_segment, count(*) AS customers, sum(order_count) AS orders,
    sum(total_spend_usd) AS spend_usd FROM gold.customer_360 WHERE NOT is_orphan
    GROUP BY value_segment ORDER BY spend_usd DESC"
run_id=$("$bin" query --lake lake --csv \
    "SELECT run_id FROM _medallion.runs ORDER BY started_at DESC LIMIT 1" | tail -1)
echo
echo "Running 'make demo' again ingests nothing new (every landing file is already in its"
echo "table) and finds the incremental and SCD2 models up to date; add a file to landing/ and"
echo "the next run picks it up. Rows that broke a contract are in lake/quarantine/<table>."
echo
echo "Try: $bin runs list                      (every run: status, task counts)"
echo "     $bin runs show $run_id  (its tasks)"
echo "     $bin check                          (every table's quality checks, docs/quality.md)"
echo "     $bin query \"SELECT table_name, check_name, status, message"
echo "         FROM _medallion.dq_results WHERE status <> 'pass'\""
echo "     $bin run --help                     (docs/pipeline.md)"
