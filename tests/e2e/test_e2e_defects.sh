#!/usr/bin/env bash
# Defect injection, end to end: for each defect class of the generator (docs/landing.md), a
# landing zone with that class far above its rate, run by the pipeline driver; the check that
# watches the class (docs/quality.md, "Defects and their checks") must fail, its table must
# keep nothing of the run (quality_failed, no version), the models downstream must be skipped,
# the run must exit 3 and the alert file must name the table. Then the default rates: every
# class below its threshold, the run passes (exit 0) and the defect checks are recorded in
# _medallion/dq_results as warnings.
# Usage: test_e2e_defects.sh MEDALLION (CTest, label e2e)
set -euo pipefail
mdl=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
repo=${MDL_REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export MEDALLION_PII_KEY=defects-test-key-0123456789
fails=0

# one value (or lines) from SQL over a case's lake; nothing when the query fails
q() { "$mdl" query --lake "$1/lake" --csv "$2" 2>/dev/null | tail -n +2 || true; }

# run_case NAME SELECT DEFECT_RATE... : a fresh project folder, generated landing, one run of
# the tasks SELECT names (empty: all of them; a case runs only what leads to its downstream
# table, which keeps the test's time down under the sanitizers).
run_case() {
    local name=$1 select=$2
    shift 2
    local dir="$tmp/$name"
    mkdir -p "$dir"
    cp -r "$repo/lakehouse" "$dir/lakehouse"
    local rates=()
    for r in "$@"; do rates+=(--defect-rate "$r"); done
    "$mdl" generate --scale 0.01 --seed 42 --out "$dir/landing" --quiet "${rates[@]}"
    set +e
    local sel=()
    [ -z "$select" ] || sel=(--select "$select")
    (cd "$dir" && "$mdl" run --project lakehouse/medallion.yaml --env local \
        --run-date 2026-01-01 -j 2 "${sel[@]}" >run.out 2>run.err)
    echo $? >"$dir/rc"
    set -e
}

fail() {
    echo "FAIL $*"
    fails=$((fails + 1))
}

# expect_blocked NAME RATE TABLE CHECK DOWNSTREAM
expect_blocked() {
    local name=$1 rate=$2 table=$3 check=$4 down=$5 dir="$tmp/$1" before=$fails
    run_case "$name" "+$down" "$rate"
    local rc
    rc=$(cat "$dir/rc")
    [ "$rc" = 3 ] || fail "$name: exit $rc, expected 3 (quality)"
    local st
    st=$(q "$dir" "SELECT status || ' ' || coalesce(CAST(version AS VARCHAR), 'none')
                   FROM _medallion.task_runs WHERE task = '$table'")
    case $table in
    bronze.*) [[ $st == "quality_failed "* ]] || fail "$name: $table is '$st', expected quality_failed" ;;
    *) [ "$st" = "quality_failed none" ] || fail "$name: $table is '$st', expected quality_failed none" ;;
    esac
    st=$(q "$dir" "SELECT status FROM _medallion.dq_results WHERE table_name = '$table'
                   AND check_name = '$check' AND status = 'fail' AND NOT published LIMIT 1")
    [ "$st" = fail ] || fail "$name: check $check on $table did not fail (or was published)"
    st=$(q "$dir" "SELECT status FROM _medallion.task_runs WHERE task = '$down'")
    [ "$st" = skipped ] || fail "$name: downstream $down is '$st', expected skipped"
    # nothing of the rejected data is in the table: a model keeps its previous version (none
    # yet: at most the empty table its first build created); a bronze table has none of the
    # file that failed (the files before it are in)
    local rows
    case $table in
    bronze.*)
        local file
        file=$(q "$dir" "SELECT error FROM _medallion.task_runs WHERE task = '$table'" |
            sed -E 's/^"?([^:]+): .*/\1/')
        rows=$(q "$dir" "SELECT count(*) FROM $table WHERE _source_file = '$file'")
        [ -n "$file" ] && [ "$rows" = 0 ] ||
            fail "$name: $table has $rows rows of the failed file '$file'"
        ;;
    *)
        if [ -d "$dir/lake/${table/.//}/_delta_log" ]; then
            rows=$(q "$dir" "SELECT count(*) FROM $table")
            [ "$rows" = 0 ] || fail "$name: $table has $rows rows committed"
        fi
        ;;
    esac
    grep -q "\"event\":\"quality_failed\".*\"table\":\"$table\"" "$dir/lake/_medallion/alerts.jsonl" ||
        fail "$name: no quality_failed alert for $table"
    if [ "$fails" = "$before" ]; then
        echo "ok   $name ($rate): $check failed on $table, $down skipped, alert sent"
    else
        sed 's/^/  out: /' "$dir/run.out" | tail -45
    fi
}

expect_blocked blank blank_as_null=40% silver.orders blank_fields gold.fact_orders
expect_blocked email malformed_email=25% silver.customers malformed_emails gold.dim_customer
expect_blocked phone malformed_phone=30% silver.accounts malformed_phones gold.dim_account
expect_blocked outlier amount_outlier=15% gold.fact_orders amount_outliers gold.customer_360
expect_blocked redelivered redelivered=20% silver.customer_behavior redelivered_events \
    gold.behavior_analytics
expect_blocked late_cdc late_cdc_update=80% silver.orders late_cdc_updates gold.fact_orders
expect_blocked orphan orphan_key=20% silver.orders orphan_customers gold.fact_orders
expect_blocked future future_date=10% silver.orders future_order_dates gold.fact_orders
expect_blocked bad_value unparsable_value=10% bronze.snowflake_orders unparsable_rows silver.orders
expect_blocked bad_record unparsable_record=10% bronze.snowflake_customers unparsable_rows \
    silver.customers

# below the thresholds: the default rates pass, with the defects recorded as warnings
run_case defaults ""
dir="$tmp/defaults"
rc=$(cat "$dir/rc")
[ "$rc" = 0 ] || {
    fail "defaults: exit $rc, expected 0"
    sed 's/^/  out: /' "$dir/run.out" | tail -45
}
for tc in silver.orders:orphan_customers silver.orders:blank_fields \
    silver.customers:malformed_emails silver.accounts:malformed_phones \
    gold.fact_orders:amount_outliers silver.customer_behavior:redelivered_events \
    bronze.crm_accounts:unparsable_rows; do
    st=$(q "$dir" "SELECT status FROM _medallion.dq_results WHERE table_name = '${tc%%:*}'
                   AND check_name = '${tc#*:}' AND status = 'warn' LIMIT 1")
    [ "$st" = warn ] || fail "defaults: no warning recorded for ${tc#*:} on ${tc%%:*}"
done
n=$(q "$dir" "SELECT count(*) FROM _medallion.dq_results WHERE status = 'fail'")
[ "$n" = 0 ] || fail "defaults: $n failed checks recorded"
[ "$fails" = 0 ] && echo "ok   defaults: the run passed with the defects recorded as warnings"
exit $((fails > 0))
