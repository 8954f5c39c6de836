#!/usr/bin/env bash
# CLI tests for `medallion config`: check and show of the committed lakehouse/medallion.yaml
# for local, dev and prod (with the variables dev and prod need); values of secret variables
# (*_KEY, *PASSWORD*, *TOKEN*, webhook URLs) never printed; errors exit 1 naming
# FILE:LINE:COLUMN; an unknown environment names the missing file.
# Usage: test_cli_config.sh MEDALLION
set -euo pipefail
mdl=$1
repo=${MDL_REPO:?MDL_REPO must point at the repository}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
# shellcheck source=lib.sh
source "$(dirname "$0")/lib.sh"

# absent NAME FILE TEXT : FILE must not contain TEXT.
absent() {
    if grep -qF -- "$3" "$2"; then
        echo "FAIL $1: '$3' is in $2"
        fails=$((fails + 1))
    fi
}

unset ALERT_WEBHOOK_URL SMTP_URL SMTP_USER SMTP_PASSWORD MEDALLION_PII_KEY MEDALLION_S3_BUCKET

check config_help 0 "$mdl" config --help
contains config_help "$tmp/out" "--project FILE"
contains config_help "$tmp/out" "docs/config.md"
check config_in_main_help 0 "$mdl" --help
contains config_in_main_help "$tmp/out" "config"
check config_bad_option 2 "$mdl" config --frobnicate
check config_bad_action 2 "$mdl" config validate
check config_extra_arg 2 "$mdl" config show extra
check config_bad_env_name 2 "$mdl" config --env ../dev --project "$repo/lakehouse/medallion.yaml"

# local from the repository root with the defaults, as a user would; no variables needed.
check config_local_check 0 bash -c "cd '$repo' && '$mdl' config check"
contains config_local_check "$tmp/out" "config ok (env local)"
check config_local_show 0 bash -c "cd '$repo' && '$mdl' config"
contains config_local_show "$tmp/out" "project: acme-lakehouse"
contains config_local_show "$tmp/out" "  lake: lake"
contains config_local_show "$tmp/out" "  contracts: lakehouse/contracts"
contains config_local_show "$tmp/out" "    type: file"
contains config_local_show "$tmp/out" "slas: []"
# --project may name the project's folder
check config_project_dir 0 "$mdl" config check --project "$repo/lakehouse/"
contains config_project_dir "$tmp/out" "config ok (env local)"

# dev and prod need their variables: the first unset one is named with its place.
check config_dev_unset 1 "$mdl" config check --env dev --project "$repo/lakehouse/medallion.yaml"
contains config_dev_unset "$tmp/err" "lakehouse/env/dev.yaml:12:10: 'url': environment variable ALERT_WEBHOOK_URL is not set"

export ALERT_WEBHOOK_URL=https://hooks.example.com/services/T0/B0/webhooksecret
export SMTP_URL=smtps://relay.example.com:465
export SMTP_USER=medallion
export SMTP_PASSWORD=smtp-password-value
# dev check fails without the masking key, naming the variable and not a value.
check config_dev_no_key 1 "$mdl" config check --env dev --project "$repo/lakehouse/medallion.yaml"
contains config_dev_no_key "$tmp/err" "security.require_pii_key is true but MEDALLION_PII_KEY is not set"
export MEDALLION_PII_KEY=pii-key-value-0123456789
for env in dev prod; do
    check "config_${env}_check" 0 "$mdl" config check --env "$env" --project "$repo/lakehouse/medallion.yaml"
    contains "config_${env}_check" "$tmp/out" "config ok (env $env)"
    check "config_${env}_show" 0 "$mdl" config show --env "$env" --project "$repo/lakehouse/medallion.yaml"
    contains "config_${env}_show" "$tmp/out" "    url: \"***\""
    contains "config_${env}_show" "$tmp/out" "    password_env: SMTP_PASSWORD"
    contains "config_${env}_show" "$tmp/out" "  require_pii_key: true"
    contains "config_${env}_show" "$tmp/out" "  - {target: gold, deadline: \"05:00\"}"
    for secret in webhooksecret smtp-password-value pii-key-value; do
        absent "config_${env}_show_$secret" "$tmp/out" "$secret"
        absent "config_${env}_show_err_$secret" "$tmp/err" "$secret"
    done
done
check config_prod_paths 0 "$mdl" config show --env prod --project "$repo/lakehouse/medallion.yaml"
contains config_prod_paths "$tmp/out" "  lake: \"s3://acme-lakehouse-prod/lake\""
contains config_prod_paths "$tmp/out" "  parallelism: 8"
MEDALLION_S3_BUCKET=other check config_prod_bucket 0 "$mdl" config show --env prod --project "$repo/lakehouse/medallion.yaml"
contains config_prod_bucket "$tmp/out" "  landing: \"s3://other/landing\""

# A variable whose name says KEY, SECRET, PASSWORD or TOKEN is never shown, wherever it goes.
mkdir -p "$tmp/p/env"
cat >"$tmp/p/medallion.yaml" <<'YAML'
project: "${PROJECT_NAME:-demo}"
paths:
  lake: ${LAKE_DIR:-lake}
alerts:
  - name: mail
    type: email
    url: smtp://${SMTP_AUTH_TOKEN}@relay:25
    from: ${DEPLOY_KEY}@example.com
    to: [ops@example.com]
    username_env: SMTP_USER
    password_env: SMTP_PASSWORD
YAML
echo 'run: {parallelism: 3}' >"$tmp/p/env/test.yaml"
export SMTP_AUTH_TOKEN=tokvalue123 DEPLOY_KEY=keyvalue456 LAKE_DIR=/srv/lake
check config_redact 0 "$mdl" config show --env test --project "$tmp/p/medallion.yaml"
contains config_redact "$tmp/out" "project: demo"
contains config_redact "$tmp/out" "  lake: /srv/lake"
contains config_redact "$tmp/out" "    url: \"***\""
contains config_redact "$tmp/out" "    from: \"***\""
contains config_redact "$tmp/out" "  parallelism: 3"
absent config_redact_token "$tmp/out" "tokvalue123"
absent config_redact_key "$tmp/out" "keyvalue456"
check config_redact_check 0 "$mdl" config check --env test --project "$tmp/p/medallion.yaml"
# A bad value from a secret variable: the message does not show it.
DEPLOY_KEY="not an address" check config_redact_error 1 "$mdl" config check --env test --project "$tmp/p/medallion.yaml"
contains config_redact_error "$tmp/err" "medallion.yaml:8:11: 'from' must be an email address, not '***'"
absent config_redact_error "$tmp/err" "not an address"

# Errors: FILE:LINE:COLUMN, exit 1, also when the bad key is in the overlay.
printf 'run:\n  paralelism: 4\n' >"$tmp/p/env/bad.yaml"
check config_overlay_error 1 "$mdl" config check --env bad --project "$tmp/p/medallion.yaml"
contains config_overlay_error "$tmp/err" "$tmp/p/env/bad.yaml:2:3: unknown key 'paralelism' in run (did you mean 'parallelism'?)"
printf 'project: x\nslas:\n  - {target: silvr, deadline: "03:00"}\n' >"$tmp/bad.yaml"
mkdir -p "$tmp/env" && : >"$tmp/env/local.yaml"
check config_base_error 1 "$mdl" config show --project "$tmp/bad.yaml"
contains config_base_error "$tmp/err" "$tmp/bad.yaml:3:14: SLA target 'silvr' is neither a layer"
contains config_base_error "$tmp/err" "(did you mean 'silver'?)"

# Unknown environment: names the file it looked for and the environments there are.
check config_unknown_env 1 "$mdl" config check --env staging --project "$repo/lakehouse/medallion.yaml"
contains config_unknown_env "$tmp/err" "environment 'staging': $repo/lakehouse/env/staging.yaml does not exist (environments: dev, local, prod)"
check config_no_project 1 "$mdl" config check --project "$tmp/none.yaml"
contains config_no_project "$tmp/err" "$tmp/none.yaml: cannot open"

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all config CLI checks passed"
