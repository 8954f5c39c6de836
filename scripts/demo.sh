#!/usr/bin/env bash
# The demonstration job run by `make demo` (expects the release build in build/release):
# the seed company's landing zone at scale 0.1 (docs/landing.md), then every bronze table
# ingested by its contract into ./lake (docs/ingest.md), then a look at what landed.
# Later issues add silver, gold and the pipeline runner on top.
set -euo pipefail
cd "$(dirname "$0")/.."

bin=build/release/medallion
scale=${DEMO_SCALE:-0.1}

echo "== medallion generate --scale $scale --seed 42 --out landing"
"$bin" generate --scale "$scale" --seed 42 --out landing
echo
echo "== medallion ingest   (every contract in lakehouse/contracts/bronze, into ./lake)"
"$bin" ingest --landing landing --lake lake --contracts lakehouse/contracts
echo
echo "== what one table looks like: medallion table describe lake/bronze/snowflake_orders"
"$bin" table describe lake/bronze/snowflake_orders | head -16
echo
echo "Rows that broke a contract are in lake/quarantine/<table> with the file, line, column,"
echo "value and reason. Running 'make demo' again ingests nothing new: every file is already"
echo "in its table (one Delta txn per file); add a file to landing/ and it is picked up."
echo
echo "Try: $bin table files lake/quarantine/crm_accounts"
echo "     $bin parquet head \$(ls lake/quarantine/crm_accounts/*/*.parquet | head -1)"
echo "     $bin ingest --help"
