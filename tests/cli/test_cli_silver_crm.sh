#!/usr/bin/env bash
# CLI tests for the CRM and Snowflake silver models (silver.accounts, contacts, opportunities,
# customers, products): generated scale 0.01 data plus hand-written later (and older) versions
# of a few rows, ingested, built, then queried: one row per business key with the latest
# version winning, no ingestion metadata in the output, emails valid-or-null and lower case,
# phones digits-only or NULL, *_valid flags agreeing, code lists in UPPER_SNAKE_CASE inside
# the contracts' accepted values, open opportunities with a NULL close_date, contact_id kept.
# The clear-value checks run on the models' SQL output (`medallion query -f`), because the
# built tables carry the masked values of the pii columns.
# Usage: test_cli_silver_crm.sh MEDALLION
set -euo pipefail
mdl=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
lake="$tmp/lake"
land="$tmp/landing"
m="$MDL_REPO/lakehouse/models"
"$mdl" generate --scale 0.01 --seed 5 --out "$land" --quiet

# The CRM exports are single files; a copy of the contracts reads crm/<object>*.csv so that a
# second export of changed rows lands in the same bronze tables (as a re-export would).
c="$tmp/contracts"
cp -r "$MDL_REPO/lakehouse/contracts" "$c"
for o in accounts contacts opportunities; do
    sed -i "s#path: crm/$o.csv#path: crm/$o*.csv#" "$c/bronze/crm_$o.yaml"
done
acc_hdr=$(head -1 "$land/crm/accounts.csv")
con_hdr=$(head -1 "$land/crm/contacts.csv")
opp_hdr=$(head -1 "$land/crm/opportunities.csv")
cus_hdr=$(head -1 "$land/snowflake/customers/customers_000.csv")
prd_hdr=$(head -1 "$land/snowflake/products/products_000.csv")
# CUST-000001: a later version (padded name, an international phone); CUST-000002: an older
# version that must not win.
cat >"$land/crm/accounts_changes.csv" <<EOF
$acc_hdr
CUST-000001,  Renamed Ltd  ,+44 20 7946 0958,WWW.Company1.com,Retail,100.00,5,1 High St,  London ,England,SW1A,gb,warm,customer,trade show,AN00007919,SMB,Europe,inactive,005000000000032,2022-01-16T16:24:08.000Z,2025-12-01T00:00:00.000Z
CUST-000002,Stale Name,(516) 751-4732,www.company2.com,Retail,1.00,1,653 Commerce Way,Sydney,NSW,20029,AU,Hot,Partner,Partner,SMB,Asia Pacific,Active,005000000000008,2020-01-01T00:00:00.000Z,2020-01-02T00:00:00.000Z
EOF
# CONT-00000001: a later version with a mixed-case padded email and a malformed phone.
cat >"$land/crm/contacts_changes.csv" <<EOF
$con_hdr
CONT-00000001,CUST-000001,Robert,Jones,  Robert.JONES@Company1.COM ,(929) CALL-ME1,+1 (400) 605-3845,CTO,Finance,Referral,London,England,GB,false,true,2022-02-14T00:46:38.000Z,2025-12-01T00:00:00.000Z
EOF
# OPP-00000002 (open) is won later; OPP-00000001 gets an older version that must not win.
cat >"$land/crm/opportunities_changes.csv" <<EOF
$opp_hdr
OPP-00000002,CUST-000022,CONT-00000022,Green - Onboarding,Closed Won,30028955.12,inr,100,2025-12-01,true,true,Cold Call,New Business,Closed,2025-03-08T01:33:57.000Z,2025-12-01T01:00:00.000Z
OPP-00000001,CUST-000087,,Stale,Prospecting,1.00,USD,10,,false,false,Cold Call,Existing Business,Pipeline,2024-12-14T16:13:42.000Z,2024-12-15T00:00:00.000Z
EOF
cat >"$land/snowflake/customers/customers_001.csv" <<EOF
$cus_hdr
CUST-000001,Kenji,Martin,KENJI.Martin1@GMAIL.com,885.379.3258,"5162 Station Rd, Apt 87",Vancouver,BC,ca,V6B53,2022-01-16,f,22,vip,phone,2022-01-16 16:24:08.112,2025-12-01 00:00:00.000
CUST-000002,Stale,Stale,stale@example.com,(442) 563-5779,x,Sydney,NSW,AU,20080,2022-06-09,F,99,BASIC,SMS,2022-06-09 18:34:27.478,2022-06-10 00:00:00.000
EOF
cat >"$land/snowflake/products/products_001.csv" <<EOF
$prd_hdr
PROD-000001,SKU-TO-000001,  Vandelay Max Games II ,toys,Games,Vandelay,59.99,33.09,FALSE,0,2024-01-27 00:45:43.447,2025-12-01 00:00:00.000
EOF
"$mdl" ingest --landing "$land" --lake "$lake" --contracts "$c" --quiet --no-checks # rows silver must clean up break the bronze checks on purpose

models="accounts contacts opportunities customers products"
for t in $models; do
    check "build_$t" 0 "$mdl" build --lake "$lake" --contracts "$c" --models "$m" "silver.$t"
    contains "build_$t" "$tmp/out" "silver.$t"
    contains "build_$t" "$tmp/out" "ok"
done

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
# model NAME : the model's SQL as a subquery (the clear values, before masking)
model() { printf '(\n%s\n)' "$(cat "$m/silver/$1.sql")"; }

# bronze holds several versions of some keys, silver one row per key, every bronze key kept
for spec in accounts:crm_accounts:account_id:id contacts:crm_contacts:contact_id:id \
    opportunities:crm_opportunities:opportunity_id:id \
    customers:snowflake_customers:customer_id:customer_id \
    products:snowflake_products:product_id:product_id; do
    IFS=: read -r t b k bk <<<"$spec"
    expect "one_per_key_$t" "SELECT count(*) = count(DISTINCT $k) AS unique_ok, count(*) = (SELECT count(DISTINCT $bk) FROM bronze.$b) AS all_keys, (SELECT count(*) FROM bronze.$b) > count(*) AS bronze_dupes FROM silver.$t" "true,true,true"
    # no ingestion metadata, no window or CDC column
    check "columns_$t" 0 q "SELECT * FROM silver.$t LIMIT 1"
    if head -1 "$tmp/out" | tr ',' '\n' | grep -qE '^(_.*|rn|op|is_deleted)$'; then
        echo "FAIL columns_$t: metadata or internal column in the output: $(head -1 "$tmp/out")"
        fails=$((fails + 1))
    fi
done

# the latest version wins, an older one never does; strings trimmed, codes upper case
expect latest_account "SELECT account_name, billing_city, billing_country, industry, rating, account_type, account_source, account_status, website, updated_at FROM silver.accounts WHERE account_id = 'CUST-000001'" \
    "Renamed Ltd,London,GB,RETAIL,WARM,CUSTOMER,TRADE_SHOW,INACTIVE,www.company1.com,2025-12-01T00:00:00Z"
expect older_account "SELECT account_name, geographic_region FROM silver.accounts WHERE account_id = 'CUST-000002'" "Kim & Co,ASIA_PACIFIC"
expect latest_account_phone "SELECT phone, phone_valid FROM $(model accounts) a WHERE account_id = 'CUST-000001'" "+442079460958,true"
expect latest_contact "SELECT email, email_valid, phone, phone_valid, mobile_phone, mobile_phone_valid, department, lead_source, mailing_country, has_opted_out_of_email FROM $(model contacts) c WHERE contact_id = 'CONT-00000001'" \
    "robert.jones@company1.com,true,,false,+14006053845,true,FINANCE,REFERRAL,GB,true"
expect latest_opportunity "SELECT stage, close_date, is_closed, currency, probability FROM silver.opportunities WHERE opportunity_id = 'OPP-00000002'" \
    "CLOSED_WON,2025-12-01,true,INR,100.00"
expect older_opportunity "SELECT stage, opportunity_name FROM silver.opportunities WHERE opportunity_id = 'OPP-00000001'" "CLOSED_WON,Garcia - Platform"
expect latest_customer "SELECT email, phone, country, gender, age, customer_segment, preferred_channel, registration_date FROM $(model customers) c WHERE customer_id = 'CUST-000001'" \
    "kenji.martin1@gmail.com,8853793258,CA,F,22,VIP,PHONE,2022-01-16"
expect older_customer "SELECT age <> 99 AND customer_segment <> 'BASIC' FROM silver.customers WHERE customer_id = 'CUST-000002'" "true"
expect latest_product "SELECT product_name, category, price_usd, is_active, stock_quantity FROM silver.products WHERE product_id = 'PROD-000001'" \
    "Vandelay Max Games II,TOYS,59.99,false,0"

# latest bronze rows of TABLE by KEY and TS, as a subquery (for independent recounts)
latest() {
    printf "(SELECT * FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY %s ORDER BY %s DESC, _ingestion_ts DESC, _source_file DESC) AS rn FROM bronze.%s) v WHERE rn = 1)" "$2" "$3" "$1"
}

# emails: lower case and matching the regex, or NULL; email_valid true exactly when an email
# comes out; as many invalid ones as the bronze emails without an '@' or ending with it (the
# generator's malformed forms), and some of them
email_re='^[a-z0-9._%+-]+@([a-z0-9-]+[.])+[a-z]{2,}$'
for spec in contacts:crm_contacts:id:last_modified_date customers:snowflake_customers:customer_id:updated_at; do
    IFS=: read -r t b k ts <<<"$spec"
    expect "emails_$t" "SELECT sum(CASE WHEN email IS NOT NULL AND (email <> lower(email) OR NOT regexp_matches(email, '$email_re')) THEN 1 ELSE 0 END) AS bad, sum(CASE WHEN (email IS NOT NULL) <> coalesce(email_valid, false) THEN 1 ELSE 0 END) AS flag_mismatch, sum(CASE WHEN email_valid IS NULL AND email_raw_present THEN 1 ELSE 0 END) AS null_flag FROM (SELECT s.*, b.email IS NOT NULL AS email_raw_present FROM $(model "$t") s JOIN $(latest "$b" "$k" "$ts") b ON b.$k = s.${t%s}_id) j" "0,0,0"
    expect "malformed_emails_$t" "SELECT n > 0, n = (SELECT count(*) FROM $(latest "$b" "$k" "$ts") l WHERE email NOT LIKE '%@%' OR email LIKE '%@') FROM (SELECT count(*) AS n FROM silver.$t WHERE NOT email_valid) s" "true,true"
done

# phones: digits (a leading + allowed), 10 to 15 of them, or NULL; phone_valid true exactly
# when a phone comes out; the invalid ones are the generator's lettered phones
phone_re='^[+]?[0-9]{10,15}$'
for spec in accounts:crm_accounts:id:last_modified_date:phone:phone_valid \
    contacts:crm_contacts:id:last_modified_date:phone:phone_valid \
    contacts:crm_contacts:id:last_modified_date:mobile_phone:mobile_phone_valid \
    customers:snowflake_customers:customer_id:updated_at:phone:phone_valid; do
    IFS=: read -r t b k ts col flag <<<"$spec"
    expect "phones_${t}_$col" "SELECT sum(CASE WHEN $col IS NOT NULL AND NOT regexp_matches($col, '$phone_re') THEN 1 ELSE 0 END) AS bad, sum(CASE WHEN ($col IS NOT NULL) <> coalesce($flag, false) THEN 1 ELSE 0 END) AS flag_mismatch FROM $(model "$t") s" "0,0"
    expect "malformed_phones_${t}_$col" "SELECT n = (SELECT count(*) FROM $(latest "$b" "$k" "$ts") l WHERE $col LIKE '%CALL-ME%') FROM (SELECT count(*) AS n FROM silver.$t WHERE NOT $flag) s" "true"
done
expect some_bad_phones "SELECT count(*) > 0 FROM silver.customers WHERE NOT phone_valid" "true"
expect digits_only_phone_kept "SELECT count(*) > 0 FROM $(latest snowflake_customers customer_id updated_at) b JOIN silver.customers s ON s.customer_id = b.customer_id WHERE regexp_matches(b.phone, '^[0-9]{10}$') AND s.phone_valid" "true"

# opportunities: open ones have no close date (and are there), closed ones have one;
# contact_id as delivered
expect open_opportunities "SELECT count(*) > 0 FROM silver.opportunities WHERE NOT is_closed AND close_date IS NULL" "true"
expect closed_have_date "SELECT count(*) FROM silver.opportunities WHERE is_closed AND close_date IS NULL" "0"
expect contact_id_kept "SELECT n > 0, n = (SELECT count(contact_id) FROM $(latest crm_opportunities id last_modified_date) l) FROM (SELECT count(contact_id) AS n FROM silver.opportunities) s" "true,true"

# code lists: UPPER_SNAKE_CASE, and the values the contracts accept
upper_check() { # TABLE COLUMN...
    local t=$1 cond="" col
    shift
    for col in "$@"; do cond="$cond OR $col <> upper($col) OR $col LIKE '% %'"; done
    expect "upper_$t" "SELECT count(*) FROM silver.$t WHERE FALSE$cond" "0"
}
upper_check accounts industry rating account_type account_source customer_segment geographic_region account_status billing_country
upper_check contacts department lead_source mailing_country
upper_check opportunities stage currency lead_source opportunity_type forecast_category
upper_check customers country gender customer_segment preferred_channel
upper_check products category
expect stages "SELECT count(*) FROM silver.opportunities WHERE stage NOT IN ('PROSPECTING', 'QUALIFICATION', 'PROPOSAL', 'NEGOTIATION', 'CLOSED_WON', 'CLOSED_LOST') OR stage IS NULL" "0"
expect categories "SELECT count(*) FROM silver.products WHERE category NOT IN ('BOOKS', 'SPORTS', 'ELECTRONICS', 'CLOTHING', 'HOME', 'TOYS', 'AUTOMOTIVE', 'FOOD') OR category IS NULL" "0"
expect segments "SELECT count(*) FROM silver.customers WHERE customer_segment NOT IN ('PREMIUM', 'STANDARD', 'BASIC', 'VIP')" "0"

# types the contracts promise
check describe_customers 0 "$mdl" table describe "$lake/silver/customers"
contains describe_customers "$tmp/out" "registration_date  date"
contains describe_customers "$tmp/out" "age                int32"
check describe_opportunities 0 "$mdl" table describe "$lake/silver/opportunities"
contains describe_opportunities "$tmp/out" "close_date         date"
contains describe_opportunities "$tmp/out" "amount             decimal(18,2)"

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all silver CRM CLI checks passed"
