#!/usr/bin/env bash
# The SQL corpus against DuckDB (tests/sql/corpus, tests/sql/errors; tests/oracle/sql_oracle.mjs)
# over a lake of generated bronze data (`medallion generate --scale 0.01 --seed 5` + ingest).
# Usage: test_oracle_sql.sh MEDALLION [GEN_ORDERS] (CTest); PATTERN via $MDL_SQL_PATTERN
set -euo pipefail
mdl=$1
repo=${MDL_REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$mdl" generate --scale 0.01 --seed 5 --out "$tmp/landing" --quiet
"$mdl" ingest --landing "$tmp/landing" --lake "$tmp/lake" --contracts "$repo/lakehouse/contracts" --quiet
node "$repo/tests/oracle/sql_oracle.mjs" "$mdl" "$tmp/lake" "${MDL_SQL_PATTERN:-}"
