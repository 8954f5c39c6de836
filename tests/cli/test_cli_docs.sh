#!/usr/bin/env bash
# CLI tests for `medallion docs`: the committed docs/schemas/ must match the contracts in
# lakehouse/contracts (a contract changed without regenerating its page fails here, and so
# in CI); generation into a scratch folder; --check listing stale, missing and left-over
# pages; a broken contract exits 1 naming FILE:LINE:COLUMN. Usage: test_cli_docs.sh MEDALLION
set -euo pipefail
mdl=$1
repo=${MDL_REPO:?MDL_REPO must point at the repository}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

check docs_help 0 "$mdl" docs --help
contains docs_help "$tmp/out" "--check"
check docs_in_main_help 0 "$mdl" --help
contains docs_in_main_help "$tmp/out" "docs"
check docs_bad_option 2 "$mdl" docs --frobnicate
check docs_extra_arg 2 "$mdl" docs extra

# The repository's docs are up to date with its contracts (run from the repository root, with
# the defaults, as a user would).
check docs_repo_up_to_date 0 bash -c "cd '$repo' && '$mdl' docs --check"
contains docs_repo_up_to_date "$tmp/out" "docs up to date"

# Generating into an empty folder gives exactly the committed pages.
check docs_generate 0 "$mdl" docs --contracts "$repo/lakehouse/contracts" --out "$tmp/schemas"
contains docs_generate "$tmp/out" "page(s) written to $tmp/schemas"
if ! diff -r "$repo/docs/schemas" "$tmp/schemas" >"$tmp/diff"; then
    echo "FAIL docs_generate: generated pages differ from docs/schemas:"
    head -20 "$tmp/diff"
    fails=$((fails + 1))
fi
check docs_check_fresh 0 "$mdl" docs --contracts "$repo/lakehouse/contracts" --out "$tmp/schemas" --check

# A contract edited without regenerating: --check lists the stale page and writes nothing.
cp -r "$repo/lakehouse/contracts" "$tmp/contracts"
cp -r "$repo/lakehouse/models" "$tmp/models" # lineage comes from the model SQL beside them
sed -i 's/^description: >-$/description: >-\n  Edited./' "$tmp/contracts/bronze/fx_rates.yaml"
cp "$tmp/schemas/bronze.fx_rates.md" "$tmp/before.md"
check docs_stale 1 "$mdl" docs --contracts "$tmp/contracts" --out "$tmp/schemas" --check
contains docs_stale "$tmp/out" "stale: $tmp/schemas/bronze.fx_rates.md"
contains docs_stale "$tmp/out" "stale: $tmp/schemas/README.md"
contains docs_stale "$tmp/err" "2 page(s) out of date"
cmp -s "$tmp/before.md" "$tmp/schemas/bronze.fx_rates.md" || { echo "FAIL docs_stale wrote"; fails=$((fails + 1)); }

# A page missing and a page left over from a deleted contract.
rm "$tmp/schemas/bronze.crm_contacts.md"
echo "# old" >"$tmp/schemas/bronze.gone.md"
check docs_missing 1 "$mdl" docs --contracts "$tmp/contracts" --out "$tmp/schemas" --check
contains docs_missing "$tmp/out" "missing: $tmp/schemas/bronze.crm_contacts.md"
contains docs_missing "$tmp/out" "left over (no contract): $tmp/schemas/bronze.gone.md"
check docs_regenerate 0 "$mdl" docs --contracts "$tmp/contracts" --out "$tmp/schemas"
contains docs_regenerate "$tmp/out" "removed $tmp/schemas/bronze.gone.md"
check docs_regenerated 0 "$mdl" docs --contracts "$tmp/contracts" --out "$tmp/schemas" --check
ntables=$(find "$tmp/contracts" -name '*.yaml' | wc -l)
contains docs_regenerated "$tmp/out" "docs up to date ($ntables tables)"

# Lineage from the model SQL: upstream tables read, downstream models reading the table.
contains lineage_up "$tmp/schemas/silver.orders.md" '- upstream: `bronze.snowflake_orders`'
contains lineage_down "$tmp/schemas/bronze.snowflake_orders.md" '- downstream: `silver.orders`'
contains lineage_source "$tmp/schemas/bronze.snowflake_orders.md" '- upstream: source system `snowflake`'
# A model whose SQL does not parse: exit 1 naming the file, line and column.
echo "SELECT FROM WHERE" >"$tmp/models/silver/orders.sql"
check docs_bad_sql 1 "$mdl" docs --contracts "$tmp/contracts" --out "$tmp/schemas" --check
contains docs_bad_sql "$tmp/err" "orders.sql:1:"
cp "$repo/lakehouse/models/silver/orders.sql" "$tmp/models/silver/orders.sql"

# A broken contract: exit 1 with FILE:LINE:COLUMN and a suggestion.
sed -i 's/    nullable: false/    nulable: false/' "$tmp/contracts/bronze/fx_rates.yaml"
check docs_broken_contract 1 "$mdl" docs --contracts "$tmp/contracts" --out "$tmp/schemas" --check
contains docs_broken_contract "$tmp/err" "$tmp/contracts/bronze/fx_rates.yaml:18:5: unknown key 'nulable' in column 'base' (did you mean 'nullable'?)"
sed -i 's/    nulable: false/    nullable: maybe/' "$tmp/contracts/bronze/fx_rates.yaml"
check docs_bad_bool 1 "$mdl" docs --contracts "$tmp/contracts" --out "$tmp/schemas"
contains docs_bad_bool "$tmp/err" "fx_rates.yaml:18:15: 'nullable' must be true or false, not 'maybe'"

# A contract in the wrong file, and a missing contracts folder.
rm -r "$tmp/contracts"
mkdir -p "$tmp/contracts/bronze"
sed 's/^table: bronze.fx_rates/table: bronze.rates/' "$repo/lakehouse/contracts/bronze/fx_rates.yaml" >"$tmp/contracts/bronze/fx_rates.yaml"
check docs_misplaced 1 "$mdl" docs --contracts "$tmp/contracts" --out "$tmp/schemas"
contains docs_misplaced "$tmp/err" "fx_rates.yaml:3:8: table 'bronze.rates' must be in bronze/rates.yaml"
check docs_no_contracts 1 "$mdl" docs --contracts "$tmp/nope" --out "$tmp/schemas"
contains docs_no_contracts "$tmp/err" "$tmp/nope: cannot open directory"

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all docs CLI checks passed"
