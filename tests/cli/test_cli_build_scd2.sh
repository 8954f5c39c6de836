#!/usr/bin/env bash
# CLI tests for `materialized: scd2` (tests/data/models: gold.customer_history over
# bronze.snowflake_customers): three builds with changed, unchanged, untracked-only, vanished
# and returning keys; history accumulates, closed versions end where the next one starts,
# surrogate keys are stable, a build with nothing new commits nothing, on_missing: keep leaves a
# vanished key open, and a pii: hash column
# equals an HMAC-SHA-256 computed by openssl. Usage: test_cli_build_scd2.sh MEDALLION
set -euo pipefail
mdl=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"
fx="$MDL_REPO/tests/data/models"
mkdir -p "$tmp/c/bronze" "$tmp/landing/snowflake/customers"
cp "$MDL_REPO/lakehouse/contracts/bronze/snowflake_customers.yaml" "$tmp/c/bronze/"
cp -r "$fx/contracts/gold" "$tmp/c/"
export MEDALLION_PII_KEY=test-key-0123456789
lake="$tmp/lake"
hdr=CUSTOMER_ID,FIRST_NAME,LAST_NAME,EMAIL,PHONE,ADDRESS,CITY,STATE,COUNTRY,ZIP_CODE,REGISTRATION_DATE,GENDER,AGE,CUSTOMER_SEGMENT,PREFERRED_CHANNEL,CREATED_AT,UPDATED_AT
row() { # id segment country channel updated_at
    echo "$1,Ann,Lee,ann.$1@example.com,,,Paris,,$3,,2023-01-01,F,30,$2,$4,2023-01-01 00:00:00,$5"
}
run() { # N AS_OF
    "$mdl" ingest --landing "$tmp/landing" --lake "$lake" --contracts "$tmp/c" --quiet --no-checks # hand-made ids (C1) the bronze regex checks reject
    check "build_$1" 0 "$mdl" build gold.customer_history --lake "$lake" --contracts "$tmp/c" \
        --models "$fx/models" --as-of "$2"
}
q() { "$mdl" query --lake "$lake" --csv "$1"; }
hist="SELECT customer_id, customer_segment, country, valid_from, valid_to, is_current FROM gold.customer_history"

# run 1: five customers, each one open version
{
    echo "$hdr"
    for i in 1 2 3 4 5; do row "C$i" SMB FR EMAIL "2023-06-01 00:00:00"; done
} >"$tmp/landing/snowflake/customers/customers_000.csv"
run 1 2024-01-01T00:00:00Z
contains build_1 "$tmp/out" "gold.customer_history  scd2"
q "SELECT count(*) AS n, count(DISTINCT customer_sk) AS sks, min(valid_from) AS vf, min(is_current) AS cur FROM gold.customer_history" >"$tmp/q1"
contains run1_rows "$tmp/q1" "5,5,2024-01-01T00:00:00Z,true"
sk5=$(q "SELECT customer_sk FROM gold.customer_history WHERE customer_id = 'C5'" | tail -1)

# run 2: C1 changes segment, C2 changes only an untracked column, C3 is gone
{
    echo "$hdr"
    row C1 VIP FR EMAIL "2023-07-01 00:00:00"
    row C2 SMB FR EMAIL "2023-07-01 00:00:00"
    row C3 SMB FR GONE "2023-07-01 00:00:00"
} >"$tmp/landing/snowflake/customers/customers_001.csv"
run 2 2024-02-01T00:00:00Z
contains build_2 "$tmp/out" "6             0         1        1"
q "$hist ORDER BY customer_id, valid_from" >"$tmp/q2"
contains run2_c1_old "$tmp/q2" "C1,SMB,FR,2024-01-01T00:00:00Z,2024-02-01T00:00:00Z,false"
contains run2_c1_new "$tmp/q2" "C1,VIP,FR,2024-02-01T00:00:00Z,9999-12-31T00:00:00Z,true"
contains run2_c2_same "$tmp/q2" "C2,SMB,FR,2024-01-01T00:00:00Z,9999-12-31T00:00:00Z,true"
contains run2_c3_closed "$tmp/q2" "C3,SMB,FR,2024-01-01T00:00:00Z,2024-02-01T00:00:00Z,false"
[ "$(grep -c '^C' "$tmp/q2")" = 6 ] || { echo "FAIL run2_rows: $(cat "$tmp/q2")"; fails=$((fails + 1)); }

# run 3: C3 returns in another country, C1 changes country, C4 is gone
{
    echo "$hdr"
    row C3 SMB DE EMAIL "2023-08-01 00:00:00"
    row C1 VIP DE EMAIL "2023-08-01 00:00:00"
    row C4 SMB FR GONE "2023-08-01 00:00:00"
} >"$tmp/landing/snowflake/customers/customers_002.csv"
run 3 2024-03-01T00:00:00Z
q "$hist ORDER BY customer_id, valid_from" >"$tmp/q3"
contains run3_c1_v2_closed "$tmp/q3" "C1,VIP,FR,2024-02-01T00:00:00Z,2024-03-01T00:00:00Z,false"
contains run3_c1_v3 "$tmp/q3" "C1,VIP,DE,2024-03-01T00:00:00Z,9999-12-31T00:00:00Z,true"
contains run3_c3_back "$tmp/q3" "C3,SMB,DE,2024-03-01T00:00:00Z,9999-12-31T00:00:00Z,true"
contains run3_c3_old "$tmp/q3" "C3,SMB,FR,2024-01-01T00:00:00Z,2024-02-01T00:00:00Z,false"
contains run3_c4_closed "$tmp/q3" "C4,SMB,FR,2024-01-01T00:00:00Z,2024-03-01T00:00:00Z,false"
[ "$(grep -c '^C' "$tmp/q3")" = 8 ] || { echo "FAIL run3_rows: $(cat "$tmp/q3")"; fails=$((fails + 1)); }
q "SELECT count(*) AS keys_with_two_open FROM (SELECT customer_id FROM gold.customer_history WHERE is_current GROUP BY customer_id HAVING count(*) > 1) x" >"$tmp/q4"
contains one_open_version "$tmp/q4" $'keys_with_two_open\n0'
q "SELECT count(*) = count(DISTINCT customer_sk) AS sk_unique FROM gold.customer_history" >"$tmp/q5"
contains sk_unique "$tmp/q5" "true"
[ "$(q "SELECT customer_sk FROM gold.customer_history WHERE customer_id = 'C5'" | tail -1)" = "$sk5" ] ||
    { echo "FAIL sk_stable: C5's surrogate key changed"; fails=$((fails + 1)); }

# a build with nothing new: no commit
check rerun 0 "$mdl" build gold.customer_history --lake "$lake" --contracts "$tmp/c" --models "$fx/models" --as-of 2024-04-01T00:00:00Z
contains rerun "$tmp/out" "up to date"
check describe 0 "$mdl" table describe "$lake/gold/customer_history"
contains describe "$tmp/out" "version:      3"

# on_missing: keep: a vanished key stays open
mkdir -p "$tmp/c2/bronze" "$tmp/c2/gold" "$tmp/landing2/snowflake/customers"
cp "$tmp/c/bronze/snowflake_customers.yaml" "$tmp/c2/bronze/"
sed 's/^  tracked: \[customer_segment, country\]$/  tracked: [customer_segment, country]\n  on_missing: keep/' \
    "$fx/contracts/gold/customer_history.yaml" >"$tmp/c2/gold/customer_history.yaml"
grep -q 'on_missing: keep' "$tmp/c2/gold/customer_history.yaml" || { echo "FAIL keep_fixture"; fails=$((fails + 1)); }
cp "$tmp/landing/snowflake/customers/customers_000.csv" "$tmp/landing2/snowflake/customers/"
b2() {
    "$mdl" ingest --landing "$tmp/landing2" --lake "$tmp/lake2" --contracts "$tmp/c2" --quiet --no-checks
    "$mdl" build gold.customer_history --lake "$tmp/lake2" --contracts "$tmp/c2" --models "$fx/models" --as-of "$1" >/dev/null
}
b2 2024-01-01T00:00:00Z
cp "$tmp/landing/snowflake/customers/customers_001.csv" "$tmp/landing2/snowflake/customers/"
b2 2024-02-01T00:00:00Z
"$mdl" query --lake "$tmp/lake2" --csv "$hist WHERE customer_id = 'C3'" >"$tmp/q7"
contains keep_c3_open "$tmp/q7" "C3,SMB,FR,2024-01-01T00:00:00Z,9999-12-31T00:00:00Z,true"
[ "$(grep -c '^C3' "$tmp/q7")" = 1 ] || { echo "FAIL keep_c3_one_version: $(cat "$tmp/q7")"; fails=$((fails + 1)); }

# the hashed email is HMAC-SHA-256 under the key (computed independently by openssl)
want=$(printf '%s' 'ann.C5@example.com' | openssl dgst -sha256 -hmac "$MEDALLION_PII_KEY" | sed 's/.*= //')
q "SELECT email FROM gold.customer_history WHERE customer_id = 'C5'" >"$tmp/q6"
contains email_hmac "$tmp/q6" "$want"

# outside local, a missing key stops the build before anything runs
check no_key 1 env -u MEDALLION_PII_KEY "$mdl" build gold.customer_history --lake "$lake" --contracts "$tmp/c" --models "$fx/models" --env prod
contains no_key "$tmp/err" "MEDALLION_PII_KEY"

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all checks passed"
