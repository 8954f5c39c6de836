#!/usr/bin/env bash
# Oracle test for Delta tables: medallion writes a table (appends, a repeated transaction,
# an overwrite, an empty file) and scans it; an independent log replay in JavaScript picks the
# active files and DuckDB reads them. Row count, sums and version must agree.
# Env: MDL_ORACLE_WRITE_TABLE, MDL_REPO.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$MDL_REPO"
ours=$("$MDL_ORACLE_WRITE_TABLE" "$tmp/t")
theirs=$(node tests/oracle/delta_oracle.mjs "$tmp/t")
echo "medallion: $ours"
echo "oracle:    $theirs"
node -e '
const a = JSON.parse(process.argv[1]), b = JSON.parse(process.argv[2]);
for (const k of ["rows", "sum_id", "sum_cents", "version"])
  if (a[k] !== b[k]) { console.error(`${k}: medallion ${a[k]}, oracle ${b[k]}`); process.exit(1); }
if (a.rows !== 1100 || a.version !== 5) { console.error("unexpected table contents"); process.exit(1); }' "$ours" "$theirs"
echo "DuckDB reads the same table"
