#!/usr/bin/env bash
# Alert delivery end to end through `medallion alert test`, against real peers on loopback
# started here: a webhook receiver (tests/support/http_sink.mjs) and an SMTP sink
# (tests/support/smtp_sink.mjs), both on 127.0.0.1 with a port chosen by the system.
# Webhook: the JSON delivered (parsed with node), a 500 answer, a receiver that never answers
# (timeout), a refused connection, what error messages must not show. Email: the envelope,
# the headers, the body, a line starting with "." surviving dot-stuffing, CRLF line ends,
# SMTP AUTH, a refused recipient, a server that never greets (timeout), a header injection.
# File: appended JSON lines.
# Usage: test_alerts.sh MEDALLION
set -euo pipefail
mdl=$1
repo=${MDL_REPO:-$(cd "$(dirname "$0")/../.." && pwd)}
support=$repo/tests/support
tmp=$(mktemp -d)
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    rm -rf "$tmp"
}
trap cleanup EXIT
fails=0
# shellcheck source=../cli/lib.sh
source "$repo/tests/cli/lib.sh"
# Loopback only: no proxy from the caller's environment.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

# start_sink NAME SCRIPT ARGS... : starts a sink logging to $tmp/NAME.log; sets $port.
start_sink() {
    local name=$1 script=$2
    shift 2
    node "$support/$script" --log "$tmp/$name.log" --port-file "$tmp/$name.port" "$@" \
        >/dev/null 2>"$tmp/$name.stderr" &
    pids+=($!)
    for _ in $(seq 1 200); do
        [ -s "$tmp/$name.port" ] && break
        sleep 0.05
    done
    if [ ! -s "$tmp/$name.port" ]; then
        echo "FAIL $name: the sink did not start"
        cat "$tmp/$name.stderr"
        exit 1
    fi
    port=$(cat "$tmp/$name.port")
    : >>"$tmp/$name.log"
}

# jcheck NAME LOG JS : JS runs with `recs` (the log's JSON lines) and `rec` (the last one);
# it fails the check by throwing (use ok(cond, what)).
jcheck() {
    local out
    if ! out=$(node --input-type=module -e "
        import fs from 'node:fs';
        const recs = fs.readFileSync(process.argv[1], 'utf8').split('\n').filter(Boolean)
            .map((l) => JSON.parse(l));
        const rec = recs[recs.length - 1];
        const ok = (c, what) => { if (!c) throw new Error(what); };
        $3
    " "$2" 2>&1); then
        echo "FAIL $1: $(echo "$out" | grep -m1 -E '^[A-Za-z]*Error' || echo "$out" | head -3)"
        fails=$((fails + 1))
    else
        echo "ok   $1 (content)"
    fi
}

# absent NAME FILE TEXT : FILE must not contain TEXT.
absent() {
    if grep -qF -- "$3" "$2"; then
        echo "FAIL $1: '$3' must not be in $2:"
        sed 's/^/  /' "$2" | head -5
        fails=$((fails + 1))
    fi
}

# ---- the command line ----------------------------------------------------------------------
check alert_help 0 "$mdl" alert test --help
contains alert_help "$tmp/out" "--type TYPE"
contains alert_help "$tmp/out" "--password-env VAR"
check alert_in_main_help 0 "$mdl" --help
contains alert_in_main_help "$tmp/out" "alert"
check alert_no_subcommand 2 "$mdl" alert
check alert_bad_subcommand 2 "$mdl" alert frobnicate
check alert_no_type 2 "$mdl" alert test --url http://127.0.0.1:9/x
check alert_bad_type 2 "$mdl" alert test --type pager --url http://127.0.0.1:9/x
check alert_email_no_to 2 "$mdl" alert test --type email --url smtp://127.0.0.1:9 --from a@b.c
check alert_file_no_path 2 "$mdl" alert test --type file
check alert_password_env_unset 2 env -u NO_SUCH_VAR_X "$mdl" alert test --type email \
    --url smtp://127.0.0.1:9 --from a@b.c --to d@e.f --user u --password-env NO_SUCH_VAR_X

# ---- webhook ---------------------------------------------------------------------------------
start_sink hook http_sink.mjs
check webhook_sent 0 "$mdl" alert test --type webhook --name ops-slack \
    --url "http://127.0.0.1:$port/hook" --event task_failed --severity error --project acme \
    --env dev --task silver.orders --table silver.orders --run-id r-42 \
    --summary 'silver.orders failed: 3 < 5 & more' --details $'line one\n  line "two"\n\ttab'
contains webhook_sent "$tmp/out" "sent to ops-slack"
jcheck webhook_sent "$tmp/hook.log" "
    ok(recs.length === 1, 'one request, got ' + recs.length);
    ok(rec.method === 'POST' && rec.path === '/hook', 'POST /hook, got ' + rec.method + ' ' + rec.path);
    ok(rec.headers['content-type'].startsWith('application/json'), 'content-type ' + rec.headers['content-type']);
    const b = JSON.parse(rec.body);
    ok(typeof b.text === 'string', 'text is a string');
    ok(b.text.includes('task_failed') && b.text.includes('dev') && b.text.includes('silver.orders'),
       'text names event, env and task: ' + b.text);
    ok(b.text.includes('3 &lt; 5 &amp; more'), 'text escapes < and & for Slack: ' + b.text);
    ok(Array.isArray(b.blocks) && b.blocks.length >= 2, 'blocks');
    ok(b.blocks.every((x) => x.type === 'section'), 'section blocks');
    const m = b.medallion;
    const want = {event: 'task_failed', severity: 'error', project: 'acme', env: 'dev',
                  run_id: 'r-42', task: 'silver.orders', table: 'silver.orders',
                  summary: 'silver.orders failed: 3 < 5 & more',
                  details: 'line one\n  line \"two\"\n\ttab'};
    for (const [k, v] of Object.entries(want)) ok(m[k] === v, k + ': ' + JSON.stringify(m[k]));
    ok(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/.test(m.at), 'at: ' + m.at);
    ok(Math.abs(Date.parse(m.at) - Date.now()) < 600000, 'at is now: ' + m.at);
"
# Fields that do not apply are null, not missing.
check webhook_minimal 0 "$mdl" alert test --type webhook --url "http://127.0.0.1:$port/min"
jcheck webhook_minimal "$tmp/hook.log" "
    const m = JSON.parse(rec.body).medallion;
    ok(rec.path === '/min', 'path ' + rec.path);
    ok(m.event === 'test' && m.severity === 'warning', 'defaults: ' + m.event + ' ' + m.severity);
    for (const k of ['project', 'env', 'run_id', 'task', 'table'])
        ok(k in m && m[k] === null, k + ' is null');
"
# Bytes that are not UTF-8 arrive as U+FFFD in valid JSON.
check webhook_bad_utf8 0 "$mdl" alert test --type webhook --url "http://127.0.0.1:$port/utf8" \
    --summary $'caf\xe9 \xff end'
jcheck webhook_bad_utf8 "$tmp/hook.log" "
    ok(JSON.parse(rec.body).medallion.summary === 'caf\uFFFD \uFFFD end', 'summary');
"

start_sink hook500 http_sink.mjs --status 500
check webhook_500 1 "$mdl" alert test --type webhook --name ops \
    --url "http://alice:hunter2@127.0.0.1:$port/hook/T0001/SECRETTOKEN?token=abc#frag"
contains webhook_500 "$tmp/err" "alert channel 'ops'"
contains webhook_500 "$tmp/err" "HTTP 500"
contains webhook_500 "$tmp/err" "http://127.0.0.1:$port/hook/..."
absent webhook_500 "$tmp/err" "hunter2"
absent webhook_500 "$tmp/err" "alice"
absent webhook_500 "$tmp/err" "SECRETTOKEN"
absent webhook_500 "$tmp/err" "token=abc"
jcheck webhook_500 "$tmp/hook500.log" "ok(recs.length === 1, 'delivered once, no retry');"

start_sink stall http_sink.mjs --stall
check webhook_timeout 1 "$mdl" alert test --type webhook --url "http://127.0.0.1:$port/slow" \
    --timeout 1000
contains webhook_timeout "$tmp/err" "timed out after 1000 ms"
contains webhook_timeout "$tmp/err" "http://127.0.0.1:$port/slow"

# A port nobody listens on: start a sink, note its port, stop it.
start_sink gone http_sink.mjs
gone_port=$port
kill "${pids[-1]}"
wait "${pids[-1]}" 2>/dev/null || true
check webhook_refused 1 "$mdl" alert test --type webhook --url "http://127.0.0.1:$gone_port/x"
contains webhook_refused "$tmp/err" "127.0.0.1"
contains webhook_refused "$tmp/err" "onnect"

check webhook_not_http 1 "$mdl" alert test --type webhook --url "ftp://127.0.0.1:$gone_port/x"
contains webhook_not_http "$tmp/err" "http:// or https://"

# ---- email -----------------------------------------------------------------------------------
start_sink smtp smtp_sink.mjs
check email_sent 0 "$mdl" alert test --type email --name oncall \
    --url "smtp://127.0.0.1:$port" --from 'Medallion <alerts@example.com>' \
    --to data-oncall@example.org --to 'Bob <bob@example.net>' --event task_failed \
    --severity error --env prod --task gold.fact_orders --summary 'gold.fact_orders failed' \
    --details $'first line\n.a line starting with a dot\n..two dots\n.\nlast line'
contains email_sent "$tmp/out" "sent to oncall"
jcheck email_sent "$tmp/smtp.log" "
    ok(recs.length === 1, 'one message, got ' + recs.length);
    ok(rec.from === 'alerts@example.com', 'MAIL FROM ' + rec.from);
    ok(JSON.stringify(rec.rcpt) === JSON.stringify(['data-oncall@example.org', 'bob@example.net']),
       'RCPT TO ' + JSON.stringify(rec.rcpt));
    const msg = rec.message;
    ok(!/[^\r]\n/.test(msg), 'every line ends with CRLF');
    ok(msg.split('\r\n').every((l) => Buffer.byteLength(l) <= 998), 'lines <= 998 bytes');
    const [head, ...rest] = msg.split('\r\n\r\n');
    const body = rest.join('\r\n\r\n');
    const h = {};
    for (const l of head.replace(/\r\n[ \t]/g, ' ').split('\r\n')) {
        const i = l.indexOf(':');
        h[l.slice(0, i).toLowerCase()] = l.slice(i + 1).trim();
    }
    ok(h.from === 'Medallion <alerts@example.com>', 'From: ' + h.from);
    ok(h.to === 'data-oncall@example.org, Bob <bob@example.net>', 'To: ' + h.to);
    ok(h.subject === '[medallion] task_failed prod gold.fact_orders', 'Subject: ' + h.subject);
    ok(/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000$/.test(h.date), 'Date: ' + h.date);
    ok(Math.abs(Date.parse(h.date) - Date.now()) < 600000, 'Date is now: ' + h.date);
    ok(/^<[0-9a-f-]{36}@example\.com>$/.test(h['message-id']), 'Message-ID: ' + h['message-id']);
    ok(h['mime-version'] === '1.0', 'MIME-Version');
    ok(h['content-type'] === 'text/plain; charset=utf-8', 'Content-Type: ' + h['content-type']);
    ok(body.startsWith('gold.fact_orders failed\r\n'), 'body starts with the summary');
    ok(body.includes('\r\nfirst line\r\n.a line starting with a dot\r\n..two dots\r\n.\r\nlast line\r\n'),
       'details intact after un-stuffing: ' + JSON.stringify(body));
    ok(rec.data.includes('\r\n..a line starting with a dot\r\n...two dots\r\n..\r\n'),
       'dot-stuffed on the wire');
    ok(/\r\nenv +prod\r\n/.test(body) && /\r\ntask +gold.fact_orders\r\n/.test(body), 'fields listed');
"
# Non-ASCII subjects are RFC 2047 encoded words (of at most 75 characters, folded).
check email_utf8_subject 0 "$mdl" alert test --type email --url "smtp://127.0.0.1:$port" \
    --from alerts@example.com --to a@example.org --env 'prøve-miljø-med-et-langt-navn-å-folde'
jcheck email_utf8_subject "$tmp/smtp.log" "
    const m = /\r\nSubject: ((?:.|\r\n )*)\r\n/.exec(rec.message);
    ok(m, 'a Subject header');
    const words = m[1].split(/\r\n /).map((w) => /^=\?UTF-8\?B\?([A-Za-z0-9+\/=]+)\?=$/.exec(w));
    ok(words.length > 1 && words.every(Boolean), 'encoded words: ' + m[1]);
    ok(m[1].split(/\r\n /).every((w) => w.length <= 75), 'words of at most 75 characters');
    const text = words.map((w) => Buffer.from(w[1], 'base64').toString('utf8')).join('');
    ok(text === '[medallion] test prøve-miljø-med-et-langt-navn-å-folde', 'decoded: ' + text);
"
# A line break in a header value would let the configuration inject headers.
check email_header_injection 1 "$mdl" alert test --type email --url "smtp://127.0.0.1:$port" \
    --from $'alerts@example.com\r\nBcc: eve@example.com' --to a@example.org
contains email_header_injection "$tmp/err" "alert channel 'email'"

start_sink smtpauth smtp_sink.mjs --auth medallion:s3cret-pass
check email_auth 0 env MEDALLION_SMTP_PASSWORD=s3cret-pass "$mdl" alert test --type email \
    --url "smtp://127.0.0.1:$port" --from alerts@example.com --to a@example.org --user medallion
jcheck email_auth "$tmp/smtpauth.log" "ok(rec.auth === 'medallion' && recs.length === 1, 'authenticated');"
check email_auth_denied 1 env MY_PW=wrong-pass-XYZ "$mdl" alert test --type email \
    --url "smtp://127.0.0.1:$port" --from alerts@example.com --to a@example.org --user medallion \
    --password-env MY_PW
contains email_auth_denied "$tmp/err" "535"
absent email_auth_denied "$tmp/err" "wrong-pass-XYZ"
jcheck email_auth_denied "$tmp/smtpauth.log" "ok(recs.length === 1, 'nothing delivered');"

start_sink smtprej smtp_sink.mjs --reject-rcpt
check email_rcpt_refused 1 "$mdl" alert test --type email --url "smtp://127.0.0.1:$port" \
    --from alerts@example.com --to nobody@example.org
contains email_rcpt_refused "$tmp/err" "550"
start_sink smtpstall smtp_sink.mjs --stall
check email_timeout 1 "$mdl" alert test --type email --url "smtp://127.0.0.1:$port" \
    --from alerts@example.com --to a@example.org --timeout 1000
contains email_timeout "$tmp/err" "timed out after 1000 ms"
check email_refused 1 "$mdl" alert test --type email --url "smtp://127.0.0.1:$gone_port" \
    --from alerts@example.com --to a@example.org
contains email_refused "$tmp/err" "onnect"

# ---- file ------------------------------------------------------------------------------------
check file_first 0 "$mdl" alert test --type file --path "$tmp/alerts/deep/alerts.jsonl" \
    --event quality_failed --severity error --env dev --table silver.orders \
    --details $'check unique(order_id): 2 duplicates\nfirst: o-1'
check file_second 0 "$mdl" alert test --type file --path "$tmp/alerts/deep/alerts.jsonl" \
    --event sla_missed
jcheck file_lines "$tmp/alerts/deep/alerts.jsonl" "
    ok(recs.length === 2, 'two lines, got ' + recs.length);
    ok(recs[0].event === 'quality_failed' && recs[0].table === 'silver.orders', 'first line');
    ok(recs[0].details === 'check unique(order_id): 2 duplicates\nfirst: o-1', 'details');
    ok(recs[1].event === 'sla_missed' && recs[1].severity === 'warning', 'second line');
    ok(fs.readFileSync(process.argv[1], 'utf8').endsWith('}\n'), 'ends with a newline');
"
check file_unwritable 1 "$mdl" alert test --type file --path /proc/medallion-nope/alerts.jsonl
contains file_unwritable "$tmp/err" "alert channel 'file'"

if [ "$fails" -gt 0 ]; then
    echo "$fails check(s) failed"
    exit 1
fi
echo "all alert checks passed"
