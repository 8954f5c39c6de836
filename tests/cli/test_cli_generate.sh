#!/usr/bin/env bash
# CLI tests for `medallion generate` (docs/landing.md): usage and errors; the same scale, seed
# and reference date give byte-identical files, another seed different ones; the layout and
# the exact headers of every file set; customers do not depend on the scale (row i is row i);
# --as-of moves the change days and the FX months; --defect-rate sets the rate of a defect
# class (all=0 injects none, one class changed leaves the other counts, 100% cut records are
# still written, bad values are usage errors); no temporary files are left; MANIFEST.json
# agrees with the files, and DuckDB checks keys, amounts and defects
# (tests/oracle/landing_check.mjs); `medallion read` reads every CSV file.
# Usage: test_cli_generate.sh MEDALLION
set -euo pipefail
mdl=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
repo=$(cd "$(dirname "$0")/../.." && pwd)

# usage
check gen_help 0 "$mdl" generate --help
contains gen_help "$tmp/out" "--scale S"
contains gen_help "$tmp/out" "medallion generate --scale 0.01 --seed 7"
contains gen_help "$tmp/out" "--defect-rate CLASS=RATE"
contains gen_help "$tmp/out" "--defect-rate all=0 --defect-rate orphan_key=5%"
check gen_listed 0 "$mdl" --help
contains gen_listed "$tmp/out" "generate"
check gen_no_out 2 "$mdl" generate --scale 0.01
contains gen_no_out "$tmp/err" "--out DIR is required"
check gen_bad_scale 2 "$mdl" generate --scale 0 --out "$tmp/x"
check gen_bad_scale2 2 "$mdl" generate --scale 1.1234567 --out "$tmp/x"
check gen_bad_scale3 2 "$mdl" generate --scale abc --out "$tmp/x"
check gen_bad_seed 2 "$mdl" generate --seed -1 --out "$tmp/x"
check gen_bad_asof 2 "$mdl" generate --as-of 2025-02-30 --out "$tmp/x"
check gen_extra_arg 2 "$mdl" generate --out "$tmp/x" stray
check gen_rate_bad_class 2 "$mdl" generate --out "$tmp/x" --defect-rate orphan=5%
contains gen_rate_bad_class "$tmp/err" "unknown defect class 'orphan'"
contains gen_rate_bad_class "$tmp/err" "all, blank_as_null, malformed_email, malformed_phone, amount_outlier, redelivered, late_cdc_update, orphan_key, future_date, unparsable_value, unparsable_record"
check gen_rate_bad_rate 2 "$mdl" generate --out "$tmp/x" --defect-rate orphan_key=5x%
contains gen_rate_bad_rate "$tmp/err" "'5x%' is not a rate"
check gen_rate_over 2 "$mdl" generate --out "$tmp/x" --defect-rate all=101%
contains gen_rate_over "$tmp/err" "'101%' is above 100%"
check gen_rate_fraction_over 2 "$mdl" generate --out "$tmp/x" --defect-rate future_date=5
contains gen_rate_fraction_over "$tmp/err" "'5' is above 100%"
check gen_rate_negative 2 "$mdl" generate --out "$tmp/x" --defect-rate future_date=-1%
contains gen_rate_negative "$tmp/err" "'-1%' is not a rate"
check gen_rate_too_fine 2 "$mdl" generate --out "$tmp/x" --defect-rate future_date=0.00005%
contains gen_rate_too_fine "$tmp/err" "'0.00005%'"
check gen_rate_no_eq 2 "$mdl" generate --out "$tmp/x" --defect-rate orphan_key
contains gen_rate_no_eq "$tmp/err" "CLASS=RATE"
mkdir -p "$tmp/full" && touch "$tmp/full/keep.txt"
check gen_nonempty 1 "$mdl" generate --scale 0.01 --out "$tmp/full"
contains gen_nonempty "$tmp/err" "--force"
touch "$tmp/afile"
check gen_not_dir 1 "$mdl" generate --scale 0.01 --out "$tmp/afile" --force
contains gen_not_dir "$tmp/err" "not a directory"

# determinism: same arguments, same bytes; another seed, other bytes
sums() { (cd "$1" && find . -type f | LC_ALL=C sort | xargs sha256sum); }
check gen_a 0 "$mdl" generate --scale 0.01 --seed 7 --out "$tmp/a"
contains gen_a "$tmp/out" "snowflake/orders"
contains gen_a "$tmp/out" "MANIFEST.json"
check gen_b 0 "$mdl" generate --scale 0.010 --seed 7 --out "$tmp/b/nested" --quiet
check gen_c 0 "$mdl" generate --scale 0.01 --seed 8 --out "$tmp/c" --quiet
sums "$tmp/a" >"$tmp/a.sums"
sums "$tmp/b/nested" >"$tmp/b.sums"
sums "$tmp/c" >"$tmp/c.sums"
if ! diff -q "$tmp/a.sums" "$tmp/b.sums" >/dev/null; then
    echo "FAIL same_seed_same_bytes:"
    diff "$tmp/a.sums" "$tmp/b.sums" | head
    fails=$((fails + 1))
else
    echo "ok   same_seed_same_bytes ($(wc -l <"$tmp/a.sums") files)"
fi
if [ "$(cut -d' ' -f1 "$tmp/a.sums" | sort | uniq | wc -l)" -lt 60 ] ||
    [ "$(comm -12 <(cut -d' ' -f1 "$tmp/a.sums" | sort) <(cut -d' ' -f1 "$tmp/c.sums" | sort) | wc -l)" -ne 0 ]; then
    echo "FAIL other_seed_other_bytes: some file is the same under seed 8"
    fails=$((fails + 1))
else
    echo "ok   other_seed_other_bytes"
fi
if find "$tmp/a" -name '*.tmp' | grep -q .; then
    echo "FAIL no_tmp_files"
    fails=$((fails + 1))
fi
# --force into a finished landing zone rewrites the same bytes
check gen_force 0 "$mdl" generate --scale 0.01 --seed 7 --out "$tmp/a" --force --quiet
sums "$tmp/a" | diff -q - "$tmp/a.sums" >/dev/null || {
    echo "FAIL force_same_bytes"
    fails=$((fails + 1))
}

# layout: every file set with the names docs/landing.md gives
for f in crm/accounts.csv crm/contacts.csv crm/opportunities.csv \
    snowflake/customers/customers_000.csv snowflake/products/products_000.csv \
    snowflake/orders/orders_000.csv snowflake/orders/changes/orders_changes_2025-12-31.csv \
    snowflake/orders/changes/orders_changes_2025-12-02.csv \
    redshift/behavior/behavior_000.csv fx/rates_2024-01.json fx/rates_2025-12.json \
    kafka/orders_events/events_000.jsonl MANIFEST.json; do
    [ -s "$tmp/a/$f" ] || {
        echo "FAIL layout: $f missing"
        fails=$((fails + 1))
    }
done
n=$(find "$tmp/a/snowflake/orders/changes" -name 'orders_changes_*.csv' | wc -l)
[ "$n" -eq 30 ] || {
    echo "FAIL layout: $n change files, expected 30"
    fails=$((fails + 1))
}
n=$(find "$tmp/a/fx" -name 'rates_*.json' | wc -l)
[ "$n" -eq 24 ] || {
    echo "FAIL layout: $n FX months, expected 24"
    fails=$((fails + 1))
}

# headers, exactly as docs/landing.md lists them
header() { # header FILE EXPECTED
    local got
    got=$(head -n 1 "$tmp/a/$1")
    if [ "$got" != "$2" ]; then
        echo "FAIL header $1:"
        echo "  got:      $got"
        echo "  expected: $2"
        fails=$((fails + 1))
    fi
}
header crm/accounts.csv "Id,Name,Phone,Website,Industry,AnnualRevenue,NumberOfEmployees,BillingStreet,BillingCity,BillingState,BillingPostalCode,BillingCountry,Rating,Type,AccountSource,AccountNumber,CustomerSegment,GeographicRegion,AccountStatus,OwnerId,CreatedDate,LastModifiedDate"
header crm/contacts.csv "Id,AccountId,FirstName,LastName,Email,Phone,MobilePhone,Title,Department,LeadSource,MailingCity,MailingState,MailingCountry,DoNotCall,HasOptedOutOfEmail,CreatedDate,LastModifiedDate"
header crm/opportunities.csv "Id,AccountId,ContactId,Name,StageName,Amount,CurrencyIsoCode,Probability,CloseDate,IsClosed,IsWon,LeadSource,Type,ForecastCategory,CreatedDate,LastModifiedDate"
header snowflake/customers/customers_000.csv "CUSTOMER_ID,FIRST_NAME,LAST_NAME,EMAIL,PHONE,ADDRESS,CITY,STATE,COUNTRY,ZIP_CODE,REGISTRATION_DATE,GENDER,AGE,CUSTOMER_SEGMENT,PREFERRED_CHANNEL,CREATED_AT,UPDATED_AT"
header snowflake/products/products_000.csv "PRODUCT_ID,SKU,PRODUCT_NAME,CATEGORY,SUBCATEGORY,BRAND,PRICE_USD,COST_USD,ACTIVE,STOCK_QUANTITY,CREATED_AT,UPDATED_AT"
orders_header="ORDER_ID,CUSTOMER_ID,PRODUCT_ID,ORDER_DATE,ORDER_TS,QUANTITY,UNIT_PRICE,DISCOUNT_PCT,TAX_AMOUNT,SHIPPING_COST,TOTAL_AMOUNT,CURRENCY,PAYMENT_METHOD,STATUS,CHANNEL,OP,UPDATED_AT"
header snowflake/orders/orders_000.csv "$orders_header"
header snowflake/orders/changes/orders_changes_2025-12-15.csv "$orders_header"
header redshift/behavior/behavior_000.csv "behavior_id|customer_id|session_id|event_name|event_ts|page_url|referrer|device_type|browser|os|country|city|duration_seconds|conversion_value|utm_source|utm_medium|utm_campaign|utm_content|utm_term"
contains fx_shape "$tmp/a/fx/rates_2024-03.json" '{"provider": "fxfeed", "base": "USD", "generated_at": "2026-01-01T00:00:00Z",'
contains kafka_shape "$tmp/a/kafka/orders_events/events_000.jsonl" '{"topic": "orders_events", "partition": '
contains kafka_value "$tmp/a/kafka/orders_events/events_000.jsonl" '"value": "{\"event_id\":\"EVT-0000000001\",\"event_type\":'
contains manifest "$tmp/a/MANIFEST.json" '"scale": "0.01"'
contains manifest "$tmp/a/MANIFEST.json" '"seed": 7,'
contains manifest "$tmp/a/MANIFEST.json" '"as_of": "2026-01-01"'

# row i of a source is the same at any scale (customers do not depend on the others)
check gen_d 0 "$mdl" generate --scale 0.02 --seed 7 --out "$tmp/d" --quiet
if ! cmp -s <(head -n 501 "$tmp/d/snowflake/customers/customers_000.csv") \
    "$tmp/a/snowflake/customers/customers_000.csv"; then
    echo "FAIL customers_scale_independent"
    fails=$((fails + 1))
fi

# --as-of moves everything relative to it
check gen_asof 0 "$mdl" generate --scale 0.01 --seed 7 --as-of 2025-06-30 --out "$tmp/e" --quiet
for f in snowflake/orders/changes/orders_changes_2025-06-29.csv \
    snowflake/orders/changes/orders_changes_2025-05-31.csv fx/rates_2023-07.json \
    fx/rates_2025-06.json; do
    [ -s "$tmp/e/$f" ] || {
        echo "FAIL as_of: $f missing"
        fails=$((fails + 1))
    }
done
contains as_of "$tmp/e/MANIFEST.json" '"as_of": "2025-06-30"'

# --defect-rate: MANIFEST.json says the rates used (the defaults without the option), and what
# it counts follows them. rates.js CASE DIR [BASE] checks DIR's MANIFEST.json for one case,
# prints what is wrong and exits 1.
cat >"$tmp/rates.js" <<'JS'
const fs = require('fs');
const [what, dir, baseDir] = process.argv.slice(2);
const load = (d) => JSON.parse(fs.readFileSync(d + '/MANIFEST.json', 'utf8'));
const m = load(dir);
const bad = [];
const defaults = {blank_as_null: 0.02, malformed_email: 0.02, malformed_phone: 0.03,
  amount_outlier: 0.01, redelivered: 0.01, late_cdc_update: 0.05, orphan_key: 0.005,
  future_date: 0.002, unparsable_value: 0.001, unparsable_record: 0.0005};
const only = (cls, rate) => Object.fromEntries(m.defect_classes.map((c) => [c, c === cls ? rate : 0]));
const set = (name) => m.sets.find((s) => s.set === name);
const orphanSets = ['snowflake/orders', 'redshift/behavior', 'crm/contacts'];
const want = {default: defaults, zero: only('', 0), override: only('orphan_key', 0.05),
  orphan: {...defaults, orphan_key: 0.1}, cut: {...defaults, unparsable_record: 1}}[what];
if (JSON.stringify(Object.keys(m.defect_rates)) !== JSON.stringify(m.defect_classes))
  bad.push('defect_rates keys: ' + Object.keys(m.defect_rates));
for (const c of m.defect_classes)
  if (m.defect_rates[c] !== want[c]) bad.push(`rate ${c}: ${m.defect_rates[c]}, want ${want[c]}`);
if (what === 'zero') { // no defect anywhere
  for (const e of [...m.sets, ...m.files])
    for (const c of m.defect_classes)
      if (e.defects[c] !== 0) bad.push(`${e.path || e.set}: ${c} ${e.defects[c]}`);
}
if (what === 'override') { // orphans and nothing else
  for (const s of m.sets)
    for (const c of m.defect_classes)
      if (c !== 'orphan_key' && s.defects[c] !== 0) bad.push(`${s.set}: ${c} ${s.defects[c]}`);
  for (const n of orphanSets)
    if (!(set(n).defects.orphan_key > 0)) bad.push(`${n}: no orphans`);
}
if (what === 'orphan') { // ~10% orphans; every other count that of the default run
  let rows = 0, orphans = 0;
  for (const n of orphanSets) {
    rows += set(n).rows;
    orphans += set(n).defects.orphan_key;
  }
  if (!(orphans >= 0.07 * rows && orphans <= 0.13 * rows))
    bad.push(`${orphans} orphans in ${rows} rows, not 7%..13%`);
  const base = load(baseDir);
  if (m.sets.length !== base.sets.length) bad.push('other sets than the default run');
  for (const b of base.sets) {
    const s = set(b.set);
    if (s.rows !== b.rows) bad.push(`${b.set}: ${s.rows} rows, default run ${b.rows}`);
    for (const c of m.defect_classes)
      if (c !== 'orphan_key' && s.defects[c] !== b.defects[c])
        bad.push(`${b.set}: ${c} ${s.defects[c]}, default run ${b.defects[c]}`);
  }
}
if (what === 'cut') { // every record cut (Kafka re-deliveries copy the uncut record), all written
  for (const s of m.sets) {
    const n = s.rows - (s.set === 'kafka/orders_events' ? s.defects.redelivered : 0);
    if (s.rows === 0 || s.defects.unparsable_record !== n)
      bad.push(`${s.set}: ${s.defects.unparsable_record} cut of ${s.rows} rows, want ${n}`);
  }
  for (const f of m.files) {
    if (f.path.startsWith('fx/')) continue;
    const lines = fs.readFileSync(dir + '/' + f.path, 'utf8').split('\n').length - 1;
    const n = f.rows + (f.path.endsWith('.csv') ? 1 : 0);
    if (lines !== n) bad.push(`${f.path}: ${lines} lines, want ${n}`);
  }
}
if (bad.length) {
  console.log(bad.join('\n'));
  process.exit(1);
}
JS
rates() { # rates NAME CASE DIR [BASE]
    local name=$1
    shift
    if node "$tmp/rates.js" "$@" >"$tmp/rates.out" 2>&1; then
        echo "ok   $name"
    else
        echo "FAIL $name:"
        sed 's/^/  /' "$tmp/rates.out" | head -20
        fails=$((fails + 1))
    fi
}
rates rate_default default "$tmp/a"
check gen_rate_zero 0 "$mdl" generate --scale 0.01 --seed 7 --out "$tmp/r0" --quiet \
    --defect-rate all=0
rates rate_zero zero "$tmp/r0"
# a later option overrides an earlier one: only orphans
check gen_rate_override 0 "$mdl" generate --scale 0.01 --seed 7 --out "$tmp/r5" --quiet \
    --defect-rate all=0 --defect-rate orphan_key=5%
rates rate_override override "$tmp/r5"
# orphan_key=10%: about 10% of the rows of the sets it applies to (orders, behaviour, contacts).
# Each class has its own draw per row, so every other count equals the default run's at this
# seed (docs/landing.md, "Changing the rates", says where classes can still interact)
check gen_rate_orphan 0 "$mdl" generate --scale 0.01 --seed 7 --out "$tmp/r10" --quiet \
    --defect-rate orphan_key=10%
rates rate_orphan orphan "$tmp/r10" "$tmp/a"
# unparsable_record=100%: every record is cut short and still written
check gen_rate_cut_all 0 "$mdl" generate --scale 0.01 --seed 7 --out "$tmp/r100" --quiet \
    --defect-rate unparsable_record=100%
rates rate_cut_all cut "$tmp/r100"

# `medallion read` reads every CSV file, and reads as many rows as the manifest lists
node -e 'const m = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
for (const f of m.files) if (f.path.endsWith(".csv")) console.log(f.path, f.rows);' \
    "$tmp/a/MANIFEST.json" >"$tmp/csvs.txt"
while read -r f rows; do
    delim=","
    case $f in redshift/*) delim="|" ;; esac
    set +e
    "$mdl" read "$tmp/a/$f" --delimiter "$delim" >"$tmp/read.out" 2>&1
    rc=$?
    set -e
    got=$(sed -n 's/^rows read \([0-9]*\),.*/\1/p' "$tmp/read.out")
    if [ "$rc" -ne 0 ] || [ "$got" != "$rows" ]; then
        echo "FAIL read $f: exit $rc, rows read '$got', manifest $rows"
        head -5 "$tmp/read.out"
        fails=$((fails + 1))
    fi
done <"$tmp/csvs.txt"
echo "ok   read_csv_files ($(wc -l <"$tmp/csvs.txt") files)"

# DuckDB: counts, keys, amounts, FX, Kafka and defects (scale 0.02 so every class appears)
if [ -d "$repo/node_modules/@duckdb/node-api" ]; then
    if (cd "$repo" && node tests/oracle/landing_check.mjs "$tmp/d") >"$tmp/oracle.txt" 2>&1; then
        echo "ok   landing_check ($(grep -c '^ok' "$tmp/oracle.txt") checks)"
    else
        echo "FAIL landing_check:"
        grep -v '^ok' "$tmp/oracle.txt" | head -20
        fails=$((fails + 1))
    fi
else
    echo "FAIL landing_check: node_modules missing (run npm ci; make test does)"
    fails=$((fails + 1))
fi

if [ "$fails" -ne 0 ]; then
    echo "$fails failure(s)"
    exit 1
fi
echo "all generate tests passed"
