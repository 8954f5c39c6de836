#!/usr/bin/env bash
# The demonstration job run by `make demo` (expects the release build in build/release):
# the seed company's landing zone at scale 0.1 (docs/landing.md), then every bronze table
# ingested by its contract into ./lake (docs/ingest.md), then every silver and gold model
# built (docs/models.md), then a look at what landed. The pipeline runner comes next.
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
echo "== medallion ingest   (every contract in lakehouse/contracts/bronze, into ./lake)"
"$bin" ingest --landing landing --lake lake --contracts lakehouse/contracts
echo
echo "== medallion build   (every silver and gold model in lakehouse/models, in dependency order)"
"$bin" build --lake lake --contracts lakehouse/contracts --models lakehouse/models
echo
echo "== gold: revenue by value segment (gold.customer_360)"
"$bin" query --lake lake "SELECT value_segment, count(*) AS customers, sum(order_count) AS orders,
    sum(total_spend_usd) AS spend_usd FROM gold.customer_360 WHERE NOT is_orphan
    GROUP BY value_segment ORDER BY spend_usd DESC"
echo
echo "== what one table looks like: medallion table describe lake/bronze/snowflake_orders"
"$bin" table describe lake/bronze/snowflake_orders | head -16
echo
echo "Rows that broke a contract are in lake/quarantine/<table> with the file, line, column,"
echo "value and reason. Running 'make demo' again ingests nothing new: every file is already"
echo "in its table (one Delta txn per file), silver.orders is up to date and the SCD2"
echo "dimensions commit nothing; add a file to landing/ and it is picked up."
echo
echo "Try: $bin table files lake/quarantine/crm_accounts"
echo "     $bin parquet head \$(ls lake/quarantine/crm_accounts/*/*.parquet | head -1)"
echo "     $bin query --lake lake \"SELECT * FROM gold.dim_customer LIMIT 5\""
echo "     $bin ingest --help; $bin build --help"
