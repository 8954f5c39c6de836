#!/usr/bin/env bash
# CLI tests for the gold facts and aggregates (fact_orders, fact_order_events, customer_360,
# product_performance, behavior_analytics, marketing_attribution), built with every other model
# from a generated and ingested lake, plus two hand-made orders outside the FX series. The
# reconciliations an analyst relies on, checked with `medallion query`:
#   - fact_orders has one row per silver order; USD orders have fx_rate 1 and amount_usd =
#     total_amount; every non-USD order has a rate; the rate is the day's silver rate, or the
#     last one for an order dated after the series (and none before it: amount_usd NULL);
#   - sum(fact_orders.amount_usd) = sum(product_performance.revenue_usd) =
#     sum(customer_360.total_spend_usd) = each attribution model's sum(revenue_usd), exactly
#     (decimals), and the order counts tie out the same way;
#   - first/last-touch attribution equals a brute-force range join computed here;
#   - behaviour aggregates, customer_360 and product_performance against their sources.
# Usage: test_cli_gold_facts.sh MEDALLION   (MDL_TEST_MODELS overrides the models directory)
set -euo pipefail
mdl=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
export MEDALLION_PII_KEY=test-key-0123456789
lake="$tmp/lake"
c="$MDL_REPO/lakehouse/contracts"
m="${MDL_TEST_MODELS:-$MDL_REPO/lakehouse/models}"
"$mdl" generate --scale 0.01 --seed 5 --out "$tmp/landing" --quiet
# an EUR order dated after the FX series ends (2025-12-31 for this seed): it takes the last rate
hdr=ORDER_ID,CUSTOMER_ID,PRODUCT_ID,ORDER_DATE,ORDER_TS,QUANTITY,UNIT_PRICE,DISCOUNT_PCT,TAX_AMOUNT,SHIPPING_COST,TOTAL_AMOUNT,CURRENCY,PAYMENT_METHOD,STATUS,CHANNEL,OP,UPDATED_AT
printf '%s\n%s\n' "$hdr" \
    "ORD-99000001,CUST-000001,PROD-000001,2026-02-10,2026-02-10 09:00:00.000,1,100.00,0.00,0.00,0.00,100.00,EUR,CREDIT_CARD,PAID,WEB,INSERT,2026-02-10 09:00:00.000" \
    >"$tmp/landing/snowflake/orders/changes/orders_changes_2026-02-10.csv"
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

check build 0 "$mdl" build --lake "$lake" --contracts "$c" --models "$m"
for t in fact_orders fact_order_events customer_360 product_performance behavior_analytics \
    marketing_attribution; do
    grep -qE "^gold\.$t +table .* ok$" "$tmp/out" ||
        { echo "FAIL build_$t: gold.$t not built"; fails=$((fails + 1)); }
done

# --- fact_orders: grain and FX ---------------------------------------------------------------
expect orders_one_row_per_order \
    "SELECT (SELECT count(*) FROM gold.fact_orders) = (SELECT count(*) FROM silver.orders) AS same_count,
            (SELECT count(DISTINCT order_id) FROM gold.fact_orders) = (SELECT count(*) FROM gold.fact_orders) AS unique_ids,
            (SELECT count(*) FROM gold.fact_orders) > 1000 AS enough" \
    $'same_count,unique_ids,enough\ntrue,true,true'
expect orders_no_order_lost \
    "SELECT count(*) AS missing FROM silver.orders s LEFT JOIN gold.fact_orders f ON f.order_id = s.order_id WHERE f.order_id IS NULL" \
    $'missing\n0'
expect non_usd_orders_have_a_rate \
    "SELECT count(*) AS non_usd, count(fx_rate) AS with_rate, count(amount_usd) AS with_usd FROM gold.fact_orders WHERE currency <> 'USD'" \
    "$(q "SELECT count(*) AS non_usd, count(*) AS with_rate, count(*) AS with_usd FROM silver.orders WHERE currency <> 'USD'")"
expect usd_orders_at_par \
    "SELECT count(*) > 100 AS many, sum(CASE WHEN fx_rate = 1 AND amount_usd = total_amount AND fx_rate_date = order_date THEN 1 ELSE 0 END) = count(*) AS at_par FROM gold.fact_orders WHERE currency = 'USD'" \
    $'many,at_par\ntrue,true'
expect rate_of_the_order_date \
    "SELECT count(*) > 500 AS many, sum(CASE WHEN f.fx_rate = r.usd_rate AND f.fx_rate_date = r.source_date AND f.amount_usd = CAST(f.total_amount * r.usd_rate AS DECIMAL(18,2)) THEN 1 ELSE 0 END) = count(*) AS all_equal
     FROM gold.fact_orders f INNER JOIN silver.fx_rates r ON r.currency = f.currency AND r.rate_date = f.order_date
     WHERE f.currency <> 'USD'" \
    $'many,all_equal\ntrue,true'
expect after_series_takes_last_rate \
    "SELECT f.fx_rate = r.usd_rate AS last_rate, f.fx_rate_date = r.source_date AS rate_date, f.amount_usd = CAST(100 * r.usd_rate AS DECIMAL(18,2)) AS usd
     FROM gold.fact_orders f
     CROSS JOIN (SELECT max(rate_date) AS last_date FROM silver.fx_rates WHERE currency = 'EUR') l
     INNER JOIN silver.fx_rates r ON r.currency = 'EUR' AND r.rate_date = l.last_date
     WHERE f.order_id = 'ORD-99000001'" \
    $'last_rate,rate_date,usd\ntrue,true,true'
expect order_month_partitions \
    "SELECT count(*) AS bad FROM gold.fact_orders WHERE order_month <> make_date(year(order_date), month(order_date), 1)" \
    $'bad\n0'
[ -d "$lake/gold/fact_orders/order_month=2024-06-01" ] ||
    { echo "FAIL partition_folders: no order_month=2024-06-01 folder"; fails=$((fails + 1)); }
expect orders_surrogate_keys \
    "SELECT sum(CASE WHEN (f.customer_sk = -1) = (d.customer_id IS NULL) AND (d.customer_id IS NULL OR f.customer_sk = d.customer_sk) THEN 1 ELSE 0 END) = count(*) AS cust_ok,
            sum(CASE WHEN f.customer_sk = -1 THEN 1 ELSE 0 END) > 0 AS some_orphans
     FROM gold.fact_orders f LEFT JOIN gold.dim_customer d ON d.customer_id = f.customer_id AND d.is_current" \
    $'cust_ok,some_orphans\ntrue,true'

# --- the totals tie out ----------------------------------------------------------------------
expect revenue_ties_out \
    "SELECT (SELECT sum(amount_usd) FROM gold.fact_orders) = (SELECT sum(revenue_usd) FROM gold.product_performance) AS products,
            (SELECT sum(amount_usd) FROM gold.fact_orders) = (SELECT sum(total_spend_usd) FROM gold.customer_360) AS customers,
            (SELECT sum(amount_usd) FROM gold.fact_orders) > 100000 AS nonzero" \
    $'products,customers,nonzero\ntrue,true,true'
expect order_counts_tie_out \
    "SELECT (SELECT count(*) FROM gold.fact_orders) = (SELECT sum(order_count) FROM gold.product_performance) AS products,
            (SELECT count(*) FROM gold.fact_orders) = (SELECT sum(order_count) FROM gold.customer_360) AS customers" \
    $'products,customers\ntrue,true'
expect attribution_ties_out \
    "SELECT a.attribution_model, a.revenue = f.revenue AS revenue, a.orders = f.orders AS orders
     FROM (SELECT attribution_model, sum(revenue_usd) AS revenue, sum(orders) AS orders FROM gold.marketing_attribution GROUP BY attribution_model) a
     CROSS JOIN (SELECT sum(amount_usd) AS revenue, count(*) AS orders FROM gold.fact_orders) f
     ORDER BY 1" \
    $'attribution_model,revenue,orders\nfirst_touch,true,true\nlast_touch,true,true'

# --- attribution against a brute-force range join --------------------------------------------
touch_pairs="WITH t AS (
        SELECT customer_id, behavior_id, event_ts, utm_source, coalesce(utm_campaign, '(none)') AS campaign
        FROM silver.customer_behavior WHERE utm_source IS NOT NULL),
    p AS (
        SELECT o.order_id, o.customer_id, o.amount_usd, t.utm_source, t.campaign,
               ROW_NUMBER() OVER (PARTITION BY o.order_id ORDER BY t.event_ts, t.behavior_id) AS rn_first,
               ROW_NUMBER() OVER (PARTITION BY o.order_id ORDER BY t.event_ts DESC, t.behavior_id DESC) AS rn_last
        FROM gold.fact_orders o LEFT JOIN t ON t.customer_id = o.customer_id AND t.event_ts <= o.order_ts),
    e AS (
        SELECT 'first_touch' AS model, coalesce(utm_source, 'direct') AS channel, coalesce(campaign, '(none)') AS campaign,
               count(*) AS orders, count(DISTINCT customer_id) AS customers, sum(amount_usd) AS revenue
        FROM p WHERE rn_first = 1 GROUP BY 1, 2, 3
        UNION ALL
        SELECT 'last_touch', coalesce(utm_source, 'direct'), coalesce(campaign, '(none)'),
               count(*), count(DISTINCT customer_id), sum(amount_usd)
        FROM p WHERE rn_last = 1 GROUP BY 1, 2, 3)"
expect attribution_equals_range_join \
    "$touch_pairs
     SELECT count(*) AS mismatched FROM e FULL JOIN gold.marketing_attribution a
         ON a.attribution_model = e.model AND a.channel = e.channel AND a.campaign = e.campaign
     WHERE e.model IS NULL OR a.attribution_model IS NULL OR a.orders <> e.orders
        OR a.customers <> e.customers OR a.revenue_usd <> coalesce(e.revenue, 0)" \
    $'mismatched\n0'
expect attribution_has_touches \
    "SELECT sum(CASE WHEN channel <> 'direct' THEN orders ELSE 0 END) > 10 AS touched,
            sum(CASE WHEN channel = 'direct' THEN orders ELSE 0 END) > 10 AS direct
     FROM gold.marketing_attribution WHERE attribution_model = 'last_touch'" \
    $'touched,direct\ntrue,true'
expect first_and_last_touch_differ \
    "SELECT count(*) > 0 AS differ FROM gold.marketing_attribution f
     FULL JOIN gold.marketing_attribution l ON l.channel = f.channel AND l.campaign = f.campaign AND l.attribution_model = 'last_touch'
     WHERE f.attribution_model = 'first_touch' AND (l.orders IS NULL OR l.orders <> f.orders)" \
    $'differ\ntrue'

# --- customer_360 ----------------------------------------------------------------------------
expect c360_rows \
    "SELECT (SELECT count(*) FROM gold.customer_360 WHERE NOT is_orphan) = (SELECT count(*) FROM silver.customers) AS customers,
            (SELECT count(*) FROM gold.customer_360 WHERE is_orphan) = (SELECT count(DISTINCT customer_id) FROM gold.fact_orders WHERE customer_sk = -1) AS orphans,
            (SELECT count(DISTINCT customer_id) FROM gold.customer_360) = (SELECT count(*) FROM gold.customer_360) AS unique_ids" \
    $'customers,orphans,unique_ids\ntrue,true,true'
expect c360_one_customer \
    "SELECT c.order_count = f.n AND c.total_spend_usd = f.spend AND c.last_order_date = f.last AND c.sessions = b.s
            AND c.recency_days = date_diff('day', f.last, (SELECT max(order_date) FROM gold.fact_orders)) AS agrees
     FROM gold.customer_360 c
     INNER JOIN (SELECT customer_id, count(*) AS n, sum(amount_usd) AS spend, max(order_date) AS last FROM gold.fact_orders WHERE customer_id = 'CUST-000007' GROUP BY 1) f ON f.customer_id = c.customer_id
     INNER JOIN (SELECT customer_id, count(DISTINCT session_id) AS s FROM silver.customer_behavior GROUP BY 1) b ON b.customer_id = c.customer_id" \
    $'agrees\ntrue'
expect c360_zero_filled \
    "SELECT count(*) > 0 AS some, sum(CASE WHEN total_spend_usd = 0 AND first_order_date IS NULL AND recency_days IS NULL AND value_segment = 'NONE' THEN 1 ELSE 0 END) = count(*) AS zeros
     FROM gold.customer_360 WHERE order_count = 0" \
    $'some,zeros\ntrue,true'
expect c360_value_segments \
    "SELECT count(*) AS misplaced FROM gold.customer_360
     WHERE NOT ((value_segment = 'PLATINUM' AND total_spend_usd >= 10000)
             OR (value_segment = 'GOLD' AND total_spend_usd >= 2500 AND total_spend_usd < 10000)
             OR (value_segment = 'SILVER' AND total_spend_usd >= 500 AND total_spend_usd < 2500)
             OR (value_segment = 'BRONZE' AND total_spend_usd > 0 AND total_spend_usd < 500)
             OR (value_segment = 'NONE' AND total_spend_usd = 0))" \
    $'misplaced\n0'
expect c360_crm \
    "SELECT sum(CASE WHEN c.crm_segment = a.customer_segment AND c.crm_region = a.geographic_region THEN 1 ELSE 0 END) = count(*) AS same,
            count(*) > 200 AS many
     FROM gold.customer_360 c INNER JOIN silver.accounts a ON a.account_id = c.customer_id" \
    $'same,many\ntrue,true'
expect c360_pipeline \
    "SELECT (SELECT sum(open_pipeline_usd) FROM gold.customer_360) =
            (SELECT sum(CAST(o.amount * CASE WHEN o.currency = 'USD' THEN 1 ELSE r.usd_rate END AS DECIMAL(18,2)))
             FROM silver.opportunities o
             LEFT JOIN (SELECT currency, max(rate_date) AS last_date FROM silver.fx_rates GROUP BY currency) l ON l.currency = o.currency
             LEFT JOIN silver.fx_rates r ON r.currency = o.currency AND r.rate_date = l.last_date
             WHERE NOT o.is_closed AND o.account_id IN (SELECT customer_id FROM gold.customer_360)) AS same,
            (SELECT count(*) FROM gold.customer_360 WHERE open_pipeline_usd > 0) > 20 AS some" \
    $'same,some\ntrue,true'

# --- product_performance ---------------------------------------------------------------------
expect products_rows \
    "SELECT (SELECT count(*) FROM gold.product_performance WHERE NOT is_orphan) = (SELECT count(*) FROM silver.products) AS products,
            (SELECT count(*) FROM gold.product_performance WHERE order_count = 0 AND revenue_usd = 0 AND units_sold = 0 AND last_sale_date IS NULL)
          = (SELECT count(*) FROM silver.products WHERE product_id NOT IN (SELECT product_id FROM silver.orders)) AS zero_filled,
            (SELECT sum(units_sold) FROM gold.product_performance) = (SELECT sum(quantity) FROM gold.fact_orders) AS units" \
    $'products,zero_filled,units\ntrue,true,true'

# --- fact_order_events and behavior_analytics ------------------------------------------------
expect events_rows \
    "SELECT (SELECT count(*) FROM gold.fact_order_events) = (SELECT count(*) FROM silver.order_events) AS same_count,
            (SELECT count(*) FROM gold.fact_order_events WHERE currency <> 'USD' AND fx_rate IS NULL) = 0 AS rated,
            (SELECT count(*) FROM gold.fact_order_events WHERE currency = 'USD' AND amount_usd <> amount) = 0 AS usd_par,
            (SELECT count(*) FROM gold.fact_order_events e INNER JOIN silver.orders o ON o.order_id = e.order_id WHERE e.order_date <> o.order_date) = 0 AS order_date" \
    $'same_count,rated,usd_par,order_date\ntrue,true,true,true'
expect behavior_ties_out \
    "SELECT (SELECT sum(events) FROM gold.behavior_analytics) = (SELECT count(*) FROM silver.customer_behavior) AS events,
            (SELECT sum(conversions) FROM gold.behavior_analytics) = (SELECT count(*) FROM silver.customer_behavior WHERE event_name = 'purchase') AS conversions,
            (SELECT sum(revenue_usd) FROM gold.behavior_analytics) = (SELECT sum(revenue) FROM silver.customer_behavior WHERE event_name = 'purchase') AS revenue,
            (SELECT sum(total_duration_seconds) FROM gold.behavior_analytics) = (SELECT sum(duration_seconds) FROM silver.customer_behavior) AS duration" \
    $'events,conversions,revenue,duration\ntrue,true,true,true'

# --- an order dated before its currency's first rate: no rate, no USD amount -----------------
printf '%s\n%s\n' "$hdr" \
    "ORD-99000002,CUST-000001,PROD-000001,2023-06-01,2023-06-01 09:00:00.000,1,100.00,0.00,0.00,0.00,100.00,JPY,CREDIT_CARD,PAID,WEB,INSERT,2026-02-11 09:00:00.000" \
    >"$tmp/landing/snowflake/orders/changes/orders_changes_2026-02-11.csv"
"$mdl" ingest --landing "$tmp/landing" --lake "$lake" --contracts "$c" --quiet
check rebuild 0 "$mdl" build --lake "$lake" --contracts "$c" --models "$m" silver.orders gold.fact_orders
expect before_series_no_rate \
    "SELECT fx_rate IS NULL AS no_rate, fx_rate_date IS NULL AS no_date, amount_usd IS NULL AS no_usd FROM gold.fact_orders WHERE order_id = 'ORD-99000002'" \
    $'no_rate,no_date,no_usd\ntrue,true,true'
expect missing_rate_is_found \
    "SELECT count(*) AS without_rate FROM gold.fact_orders WHERE currency <> 'USD' AND fx_rate IS NULL" \
    $'without_rate\n1'

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all checks passed"
