#!/usr/bin/env bash
# CLI tests for the silver models customer_behavior, fx_rates and order_events, built from a
# generated and ingested lake: one row per behavior_id / event_id / (rate_date, currency) with
# the duplicates of bronze really present and removed; utm and device fields carried over
# from the surviving bronze row; every calendar day between the first and the last rate date
# for every currency, USD = 1, both quote directions normalised, gaps carried forward from the
# day named by source_date; channel equal to the payload's channel field (read here with a
# regular expression, not get_json_object); the latest offset wins.
# Usage: test_cli_silver_events.sh MEDALLION
set -euo pipefail
mdl=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
lake="$tmp/lake"
c="$MDL_REPO/lakehouse/contracts"
m="$MDL_REPO/lakehouse/models"
"$mdl" generate --scale 0.01 --seed 5 --out "$tmp/landing" --quiet
"$mdl" ingest --landing "$tmp/landing" --lake "$lake" --contracts "$c" --quiet
q() { "$mdl" query --lake "$lake" --csv "$1"; }
# expect NAME SQL EXPECTED_CSV : the query's CSV output (header and rows) must be exactly that.
expect() {
    check "$1" 0 q "$2"
    if [ "$(cat "$tmp/out")" != "$3" ]; then
        echo "FAIL $1: got:"
        sed 's/^/  /' "$tmp/out" | head -10
        echo "  expected:"
        printf '%s\n' "$3" | sed 's/^/  /'
        fails=$((fails + 1))
    fi
}

check build 0 "$mdl" build --lake "$lake" --contracts "$c" --models "$m" \
    silver.customer_behavior silver.fx_rates silver.order_events
contains build "$tmp/out" "silver.customer_behavior"
contains build "$tmp/out" "silver.fx_rates"
contains build "$tmp/out" "silver.order_events"

# ---- customer_behavior ----
# bronze holds re-delivered copies; silver has each behavior_id once, and all of them
expect behavior_dupes_in_bronze \
    "SELECT count(*) > count(DISTINCT behavior_id) AS dupes FROM bronze.redshift_behavior" \
    $'dupes\ntrue'
expect behavior_one_per_id \
    "SELECT count(*) = count(DISTINCT behavior_id) AS uniq, count(*) = (SELECT count(DISTINCT behavior_id) FROM bronze.redshift_behavior) AS all_ids FROM silver.customer_behavior" \
    $'uniq,all_ids\ntrue,true'
# utm and device fields are the bronze row's (device_type is not the referrer)
expect behavior_fields_kept \
    "SELECT sum(CASE WHEN s.utm_source IS NOT DISTINCT FROM b.utm_source AND s.utm_medium IS NOT DISTINCT FROM b.utm_medium AND s.utm_campaign IS NOT DISTINCT FROM b.utm_campaign AND s.utm_content IS NOT DISTINCT FROM b.utm_content AND s.utm_term IS NOT DISTINCT FROM b.utm_term AND s.device_type IS NOT DISTINCT FROM b.device_type AND s.browser IS NOT DISTINCT FROM b.browser AND s.os IS NOT DISTINCT FROM b.os THEN 0 ELSE 1 END) AS differ, count(s.utm_source) > 0 AS has_utm, count(s.utm_term) > 0 AS has_term FROM silver.customer_behavior s JOIN (SELECT DISTINCT behavior_id, utm_source, utm_medium, utm_campaign, utm_content, utm_term, device_type, browser, os FROM bronze.redshift_behavior) b ON b.behavior_id = s.behavior_id" \
    $'differ,has_utm,has_term\n0,true,true'
expect behavior_normalised \
    "SELECT count(*) AS bad FROM silver.customer_behavior WHERE event_name <> lower(trim(event_name)) OR event_date <> CAST(event_ts AS DATE) OR duration_seconds < 0" \
    $'bad\n0'

# ---- order_events ----
expect events_dupes_in_bronze \
    "SELECT count(*) > count(DISTINCT value) AS dupes FROM bronze.kafka_events" $'dupes\ntrue'
expect events_one_per_id \
    "SELECT count(*) = count(DISTINCT event_id) AS uniq, count(*) = (SELECT count(DISTINCT regexp_replace(value, '^.*\"event_id\":\"([^\"]+)\".*\$', '\\1')) FROM bronze.kafka_events) AS all_ids FROM silver.order_events" \
    $'uniq,all_ids\ntrue,true'
# channel is the payload's channel field, read from the surviving record's raw text
expect events_channel_from_payload \
    "SELECT count(*) AS n, sum(CASE WHEN s.channel = regexp_replace(b.value, '^.*\"channel\":\"([A-Z_]+)\".*\$', '\\1') THEN 0 ELSE 1 END) AS differ, count(DISTINCT s.channel) >= 3 AS several FROM silver.order_events s JOIN bronze.kafka_events b ON b.partition = s.partition AND b.\"offset\" = s.\"offset\"" \
    $'n,differ,several\n1000,0,true'
# the surviving record of an event is its highest offset
expect events_latest_offset \
    "SELECT count(*) AS bad FROM silver.order_events s JOIN (SELECT regexp_replace(value, '^.*\"event_id\":\"([^\"]+)\".*\$', '\\1') AS event_id, max(\"offset\") AS hi FROM bronze.kafka_events GROUP BY 1) b ON b.event_id = s.event_id WHERE s.\"offset\" <> b.hi" \
    $'bad\n0'
expect events_typed \
    "SELECT count(*) AS bad FROM silver.order_events WHERE event_ts IS NULL OR amount IS NULL OR event_date <> CAST(event_ts AS DATE) OR event_type NOT IN ('ORDER_CREATED', 'PAYMENT_CAPTURED', 'SHIPPED', 'DELIVERED', 'CANCELLED')" \
    $'bad\n0'

# ---- fx_rates ----
expect fx_one_per_day_currency \
    "SELECT count(*) = count(DISTINCT CAST(rate_date AS VARCHAR) || currency) AS uniq FROM silver.fx_rates" \
    $'uniq\ntrue'
# every currency (7 quoted + USD) on every calendar day from the first to the last rate date
expect fx_every_day \
    "SELECT count(DISTINCT currency) AS currencies, min(n) = max(n) AS same_days, min(n) = (SELECT date_diff('day', min(rate_date), max(rate_date)) + 1 FROM bronze.fx_rates) AS all_days FROM (SELECT currency, count(*) AS n FROM silver.fx_rates GROUP BY currency) per_currency" \
    $'currencies,same_days,all_days\n8,true,true'
expect fx_usd_is_one \
    "SELECT count(*) = (SELECT count(DISTINCT rate_date) FROM silver.fx_rates) AS every_day, sum(CASE WHEN usd_rate = 1 AND NOT is_filled THEN 0 ELSE 1 END) AS bad FROM silver.fx_rates WHERE currency = 'USD'" \
    $'every_day,bad\ntrue,0'
# both quote directions: base X / quote USD is the rate, base USD / quote X is 1 / rate
expect fx_normalised \
    "SELECT sum(CASE WHEN b.quote = 'USD' THEN 1 ELSE 0 END) > 0 AS direct, sum(CASE WHEN b.base = 'USD' THEN 1 ELSE 0 END) > 0 AS inverse, sum(CASE WHEN abs(s.usd_rate - CASE WHEN b.quote = 'USD' THEN CAST(b.rate AS DOUBLE) ELSE 1 / CAST(b.rate AS DOUBLE) END) <= 1e-12 * s.usd_rate AND NOT s.is_filled AND s.source_date = s.rate_date THEN 0 ELSE 1 END) AS bad FROM bronze.fx_rates b JOIN silver.fx_rates s ON s.rate_date = b.rate_date AND s.currency = CASE WHEN b.quote = 'USD' THEN b.base ELSE b.quote END" \
    $'direct,inverse,bad\ntrue,true,0'
# weekends are filled, from the rate of the day source_date names (an earlier day)
expect fx_filled \
    "SELECT sum(CASE WHEN f.is_filled AND dayofweek(f.rate_date) IN (0, 6) THEN 1 ELSE 0 END) > 0 AS weekends, sum(CASE WHEN f.usd_rate = o.usd_rate AND NOT o.is_filled AND o.rate_date < f.rate_date THEN 0 ELSE 1 END) AS bad FROM silver.fx_rates f JOIN silver.fx_rates o ON o.currency = f.currency AND o.rate_date = f.source_date WHERE f.is_filled" \
    $'weekends,bad\ntrue,0'
expect fx_no_weekend_quotes \
    "SELECT count(*) AS n FROM silver.fx_rates WHERE currency <> 'USD' AND dayofweek(rate_date) IN (0, 6) AND NOT is_filled" \
    $'n\n0'

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all silver events CLI checks passed"
