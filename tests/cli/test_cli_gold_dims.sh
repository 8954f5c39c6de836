#!/usr/bin/env bash
# CLI tests for the gold dimensions and fact_opportunity (lakehouse/models/gold: dim_customer,
# dim_product, dim_account, dim_contact, dim_date, fact_opportunity) over generated data:
# one open version per key, dim_date contiguous with ISO weekdays and weeks, open
# opportunities kept with a NULL close date, USD amounts equal to the amount, the FX date
# clamped into the rate series; then a second delivery (a changed customer segment, a changed
# product price, untracked-only changes, opportunities dated outside the FX series) and a later
# build: the changed keys get a second version, the others keep one, dim_date follows the
# facts. Usage: test_cli_gold_dims.sh MEDALLION
set -euo pipefail
mdl=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
export MEDALLION_PII_KEY=test-key-0123456789
land="$tmp/landing"
lake="$tmp/lake"
m="$MDL_REPO/lakehouse/models"
"$mdl" generate --scale 0.01 --seed 5 --out "$land" --quiet

# The CRM opportunities export is one file; a copy of the contracts reads crm/opportunities*.csv
# so that a second export lands in the same bronze table (as a re-export would).
c="$tmp/contracts"
cp -r "$MDL_REPO/lakehouse/contracts" "$c"
sed -i 's#path: crm/opportunities.csv#path: crm/opportunities*.csv#' "$c/bronze/crm_opportunities.yaml"

silver="silver.customers silver.products silver.accounts silver.contacts silver.opportunities silver.orders silver.fx_rates"
gold="gold.dim_customer gold.dim_product gold.dim_account gold.dim_contact gold.dim_date gold.fact_opportunity"
run() { # N AS_OF
    "$mdl" ingest --landing "$land" --lake "$lake" --contracts "$c" --quiet
    # shellcheck disable=SC2086
    check "build_silver_$1" 0 "$mdl" build --lake "$lake" --contracts "$c" --models "$m" --as-of "$2" $silver
    # shellcheck disable=SC2086
    check "build_gold_$1" 0 "$mdl" build --lake "$lake" --contracts "$c" --models "$m" --as-of "$2" $gold
    for t in $gold; do contains "build_gold_$1_$t" "$tmp/out" "$t"; done
}
q() { "$mdl" query --lake "$lake" --csv "$@"; }
# expect NAME QUERY EXPECTED_CSV_BODY : the query's rows (header dropped) must equal EXPECTED.
expect() {
    local name=$1 sql=$2 want=$3
    check "$name" 0 q "$sql"
    tail -n +2 "$tmp/out" >"$tmp/body"
    if [ "$(cat "$tmp/body")" != "$want" ]; then
        echo "FAIL $name: expected '$want', got:"
        sed 's/^/  /' "$tmp/body" | head -20
        fails=$((fails + 1))
    fi
}
V1=2024-06-01T00:00:00Z
V2=2024-07-01T00:00:00Z

# ---- build 1 ---------------------------------------------------------------------------
run 1 "$V1"

# every dimension: one version per key, all open since the build, the silver keys exactly,
# unique surrogate keys
for spec in customer:customers product:products account:accounts contact:contacts; do
    IFS=: read -r d s <<<"$spec"
    expect "dim_${d}_one_version" "SELECT count(*) = count(DISTINCT ${d}_id) AS one_per_key, count(*) = count(DISTINCT ${d}_sk) AS sk_unique, min(is_current) AS all_current, min(valid_from) = max(valid_from) AS one_start, CAST(min(valid_from) AS VARCHAR) AS vf, CAST(max(valid_to) AS VARCHAR) AS vt, count(*) = (SELECT count(*) FROM silver.$s) AS all_keys, count(*) > 0 AS rows FROM gold.dim_$d" \
        "true,true,true,true,2024-06-01 00:00:00,9999-12-31 00:00:00,true,true"
    expect "dim_${d}_keys_match_silver" "SELECT count(*) FROM silver.$s s LEFT JOIN gold.dim_$d d ON d.${d}_id = s.${d}_id AND d.is_current WHERE d.${d}_id IS NULL" "0"
done
# no clear personal data: emails are silver's 64-hex HMACs, no names or phones
expect dim_customer_email_hashed "SELECT count(*) > 0, count(*) = sum(CASE WHEN regexp_matches(email, '^[0-9a-f]{64}\$') THEN 1 ELSE 0 END) FROM gold.dim_customer WHERE email IS NOT NULL" "true,true"
expect dim_customer_email_as_silver "SELECT count(*) FROM gold.dim_customer d JOIN silver.customers s ON s.customer_id = d.customer_id WHERE d.email IS DISTINCT FROM s.email OR d.customer_segment IS DISTINCT FROM s.customer_segment" "0"
expect dim_contact_email_hashed "SELECT count(*) > 0, count(*) = sum(CASE WHEN regexp_matches(email, '^[0-9a-f]{64}\$') THEN 1 ELSE 0 END) FROM gold.dim_contact WHERE email IS NOT NULL" "true,true"
check dim_customer_no_names 0 q "SELECT * FROM gold.dim_customer LIMIT 1"
if head -1 "$tmp/out" | grep -qE 'first_name|last_name|phone|street|postal'; then
    echo "FAIL dim_customer_no_names: $(head -1 "$tmp/out")"
    fails=$((fails + 1))
fi

# dim_date: whole years around the fact dates, contiguous, known weekdays and ISO weeks
expect dim_date_range "SELECT CAST(min(date) AS VARCHAR), CAST(max(date) AS VARCHAR), count(*), count(DISTINCT date_sk), count(*) = max(date) - min(date) + 1 FROM gold.dim_date" \
    "2024-01-01,2025-12-31,731,731,true"
expect dim_date_covers_orders "SELECT count(*) FROM silver.orders o LEFT JOIN gold.dim_date d ON d.date = o.order_date WHERE d.date IS NULL" "0"
expect dim_date_days "SELECT date_sk, day_of_week, day_name, is_weekend, week_of_year, iso_year, month_name, quarter, CAST(first_day_of_month AS VARCHAR) FROM gold.dim_date WHERE date IN (DATE '2024-01-01', DATE '2024-01-06', DATE '2024-01-07', DATE '2024-02-29', DATE '2024-12-30', DATE '2025-01-01', DATE '2025-12-28') ORDER BY date" \
    "20240101,1,Monday,false,1,2024,January,1,2024-01-01
20240106,6,Saturday,true,1,2024,January,1,2024-01-01
20240107,7,Sunday,true,1,2024,January,1,2024-01-01
20240229,4,Thursday,false,9,2024,February,1,2024-02-01
20241230,1,Monday,false,1,2025,December,4,2024-12-01
20250101,3,Wednesday,false,1,2025,January,1,2025-01-01
20251228,7,Sunday,true,52,2025,December,4,2025-12-01"
# weekdays advance by one every day (7 after 6, 1 after 7) and 2 of every 7 days are weekends
expect dim_date_weekday_cycle "SELECT count(*) FROM gold.dim_date a JOIN gold.dim_date b ON b.date = a.date + 1 WHERE b.day_of_week <> a.day_of_week % 7 + 1" "0"
expect dim_date_weekends "SELECT sum(CASE WHEN is_weekend THEN 1 ELSE 0 END) FROM gold.dim_date WHERE date BETWEEN DATE '2024-01-01' AND DATE '2024-12-29'" "104"

# fact_opportunity: every opportunity, open ones with no close date, USD amounts unchanged
expect fact_all_opps "SELECT count(*) = (SELECT count(*) FROM silver.opportunities), count(*) = count(DISTINCT opportunity_id) FROM gold.fact_opportunity" "true,true"
expect fact_open_kept "SELECT count(*) > 0, count(*) = (SELECT count(*) FROM silver.opportunities WHERE NOT is_closed), count(close_date), count(close_month) FROM gold.fact_opportunity WHERE is_open" "true,true,0,0"
expect fact_closed_month "SELECT count(*) > 0, sum(CASE WHEN close_month = CAST(date_trunc('month', close_date) AS DATE) THEN 1 ELSE 0 END) = count(*) FROM gold.fact_opportunity WHERE is_closed" "true,true"
expect fact_usd_same "SELECT count(*) > 0, sum(CASE WHEN amount_usd = amount AND usd_rate = 1 THEN 1 ELSE 0 END) = count(*) FROM gold.fact_opportunity WHERE currency = 'USD'" "true,true"
expect fact_contact_as_delivered "SELECT count(*) FROM gold.fact_opportunity f JOIN silver.opportunities s ON s.opportunity_id = f.opportunity_id WHERE f.contact_id IS DISTINCT FROM s.contact_id" "0"
expect fact_contact_some_null "SELECT count(*) > count(contact_id), count(contact_id) > 0 FROM gold.fact_opportunity" "true,true"
# a non-USD amount uses the silver rate of its created day
expect fact_fx_created_day "SELECT count(*) > 0, sum(CASE WHEN f.usd_rate = r.usd_rate AND f.fx_rate_date = f.created_date THEN 1 ELSE 0 END) = count(*) FROM gold.fact_opportunity f JOIN silver.fx_rates r ON r.currency = f.currency AND r.rate_date = f.created_date WHERE f.currency <> 'USD'" "true,true"
expect fact_no_missing_usd "SELECT count(*) FROM gold.fact_opportunity WHERE amount IS NOT NULL AND amount_usd IS NULL" "0"
# one EUR deal recomputed outside SQL (awk): amount * rate rounded to cents, and weighted
check fact_eur_row 0 q "SELECT amount, usd_rate, amount_usd, probability, expected_amount_usd FROM gold.fact_opportunity WHERE currency = 'EUR' AND probability > 0 AND probability < 100 ORDER BY opportunity_id LIMIT 1"
IFS=, read -r amt rate usd prob exp_usd < <(tail -1 "$tmp/out")
want_usd=$(awk -v a="$amt" -v r="$rate" 'BEGIN { printf "%.2f", a * r }')
want_exp=$(awk -v a="$want_usd" -v p="$prob" 'BEGIN { printf "%.2f", a * p / 100 }')
if [ "$usd" != "$want_usd" ] || [ "$exp_usd" != "$want_exp" ]; then
    echo "FAIL fact_eur_amounts: $amt * $rate = $usd (want $want_usd), expected $exp_usd (want $want_exp)"
    fails=$((fails + 1))
fi

sk1=$(q "SELECT customer_sk FROM gold.dim_customer WHERE customer_id = 'CUST-000003'" | tail -1)

# ---- second delivery -------------------------------------------------------------------
cus_hdr=$(head -1 "$land/snowflake/customers/customers_000.csv")
prd_hdr=$(head -1 "$land/snowflake/products/products_000.csv")
opp_hdr=$(head -1 "$land/crm/opportunities.csv")
# CUST-000001: segment VIP -> BASIC (tracked); CUST-000002: only age and updated_at (untracked)
cat >"$land/snowflake/customers/customers_001.csv" <<EOF
$cus_hdr
CUST-000001,Kenji,Martin,kenji.martin1@gmail.com,(885) 379-3258,"5162 Station Rd, Apt 87",Vancouver,BC,CA,V6B53,2022-01-16,F,21,BASIC,PHONE,2022-01-16 16:24:08.112,2024-06-15 00:00:00.000
CUST-000002,Robert,Kim,robert.kim2@mail.de,(442) 563-5779,"5775 Lake View, Apt 24",Sydney,NSW,AU,20080,2022-06-09,F,22,VIP,PHONE,2022-06-09 18:34:27.478,2024-06-15 00:00:00.000
EOF
# PROD-000001: a new price (tracked); PROD-000002: only the stock (not in the dimension)
cat >"$land/snowflake/products/products_001.csv" <<EOF
$prd_hdr
PROD-000001,SKU-TO-000001,Vandelay Max Games,Toys,Games,Vandelay,59.99,33.09,TRUE,3049,2024-01-27 00:45:43.447,2024-06-15 00:00:00.000
PROD-000002,SKU-SP-000002,Initech Ultra Team Sports,Sports,Team Sports,Initech,220.91,150.21,TRUE,10,2023-06-04 04:13:55.618,2024-06-15 00:00:00.000
EOF
# two open deals dated outside the FX series: before its first day and after its last
cat >"$land/crm/opportunities_late.csv" <<EOF
$opp_hdr
OPP-09000001,CUST-000001,,Early - Platform,Prospecting,1000.00,EUR,10,,false,false,Web,New Business,Pipeline,2023-06-15T10:00:00.000Z,2023-06-15T10:00:00.000Z
OPP-09000002,CUST-000002,CONT-00000002,Late - Platform,Negotiation,1000.00,GBP,75,,false,false,Web,New Business,Commit,2026-03-10T10:00:00.000Z,2026-03-10T10:00:00.000Z
EOF
run 2 "$V2"

hist="SELECT customer_id, customer_segment, CAST(valid_from AS VARCHAR), CAST(valid_to AS VARCHAR), is_current FROM gold.dim_customer"
expect customer_changed_two_versions "$hist WHERE customer_id = 'CUST-000001' ORDER BY valid_from" \
    "CUST-000001,VIP,2024-06-01 00:00:00,2024-07-01 00:00:00,false
CUST-000001,BASIC,2024-07-01 00:00:00,9999-12-31 00:00:00,true"
expect customer_untracked_one_version "$hist WHERE customer_id = 'CUST-000002'" \
    "CUST-000002,VIP,2024-06-01 00:00:00,9999-12-31 00:00:00,true"
expect customer_versions "SELECT count(*) - count(DISTINCT customer_id), sum(CASE WHEN is_current THEN 1 ELSE 0 END) = count(DISTINCT customer_id), count(DISTINCT customer_sk) = count(*) FROM gold.dim_customer" "1,true,true"
expect customer_others_one "SELECT count(*) FROM (SELECT customer_id FROM gold.dim_customer WHERE customer_id <> 'CUST-000001' GROUP BY customer_id HAVING count(*) <> 1) x" "0"
[ "$(q "SELECT customer_sk FROM gold.dim_customer WHERE customer_id = 'CUST-000003'" | tail -1)" = "$sk1" ] ||
    { echo "FAIL customer_sk_stable: CUST-000003's surrogate key changed"; fails=$((fails + 1)); }
expect product_price_two_versions "SELECT product_id, CAST(price_usd AS VARCHAR), is_current, CAST(valid_to AS VARCHAR) FROM gold.dim_product WHERE product_id IN ('PROD-000001', 'PROD-000002') ORDER BY product_id, valid_from" \
    "PROD-000001,57.06,false,2024-07-01 00:00:00
PROD-000001,59.99,true,9999-12-31 00:00:00
PROD-000002,220.91,true,9999-12-31 00:00:00"
expect product_versions "SELECT count(*) - count(DISTINCT product_id) FROM gold.dim_product" "1"
for d in account contact; do
    expect "dim_${d}_unchanged" "SELECT count(*) = count(DISTINCT ${d}_id), min(is_current), CAST(max(valid_from) AS VARCHAR) FROM gold.dim_$d" "true,true,2024-06-01 00:00:00"
done
# as-of join: the fact's customer on a date inside the old version gets the old segment
expect as_of_join "SELECT d.customer_segment FROM gold.dim_customer d WHERE d.customer_id = 'CUST-000001' AND TIMESTAMP '2024-06-20 00:00:00' >= d.valid_from AND TIMESTAMP '2024-06-20 00:00:00' < d.valid_to" "VIP"

# FX date clamped into the series: first and last day of the currency's rates
expect fact_fx_clamped "SELECT f.opportunity_id, f.fx_rate_date = b.first_day, f.fx_rate_date = b.last_day, f.usd_rate = r.usd_rate, f.amount_usd = CAST(f.amount * r.usd_rate AS DECIMAL(18,2)), f.close_date IS NULL, f.is_open FROM gold.fact_opportunity f JOIN (SELECT currency, min(rate_date) AS first_day, max(rate_date) AS last_day FROM silver.fx_rates GROUP BY currency) b ON b.currency = f.currency JOIN silver.fx_rates r ON r.currency = f.currency AND r.rate_date = f.fx_rate_date WHERE f.opportunity_id LIKE 'OPP-09%' ORDER BY f.opportunity_id" \
    "OPP-09000001,true,false,true,true,true,true
OPP-09000002,false,true,true,true,true,true"
# dim_date follows the facts: whole years 2023 .. 2026 now
expect dim_date_extended "SELECT CAST(min(date) AS VARCHAR), CAST(max(date) AS VARCHAR), count(*) = max(date) - min(date) + 1 FROM gold.dim_date" "2023-01-01,2026-12-31,true"

# a build with nothing new leaves the dimensions as they are
# shellcheck disable=SC2086
check rerun 0 "$mdl" build --lake "$lake" --contracts "$c" --models "$m" --as-of 2024-08-01T00:00:00Z gold.dim_customer gold.dim_product
contains rerun "$tmp/out" "up to date"
expect rerun_no_versions "SELECT count(*) FROM gold.dim_customer WHERE valid_from > TIMESTAMP '2024-07-01 00:00:00'" "0"

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all checks passed"
