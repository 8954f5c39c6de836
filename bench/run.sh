#!/usr/bin/env bash
# bench/run.sh - the `make bench` driver: medallion against DuckDB on the same generated data.
#
# Builds the release preset, installs the pinned DuckDB oracle (npm ci) when needed, generates
# the orders CSVs once (bench/data/, seed 42), then for every file runs medallion's CSV
# parse+cast (build/release/mdl_bench_csv) and DuckDB's (bench/duckdb_csv.mjs, one thread)
# BENCH_RUNS times each, alternating, and prints a table of medians. Per-run records go to
# bench/out/runs.jsonl and the summary to bench/out/results.json (bench/report.py).
#
# Environment:
#   BENCH_ROWS   rows of the large file (default 10000000); a 1M-row file is always made
#   BENCH_RUNS   measured runs per engine and file (default 3)
#
# Never part of `make test`: timings depend on the machine and on whatever else runs on it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BIG_ROWS="${BENCH_ROWS:-10000000}"
RUNS="${BENCH_RUNS:-3}"
SEED=42
DATA=bench/data
OUT=bench/out
GEN=build/release/mdl_gen_orders
BENCH=build/release/mdl_bench_csv
TIME=/usr/bin/time

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench/run.sh: %s\n' "$*" >&2; exit 1; }

[[ "$BIG_ROWS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROWS must be a positive integer, not '$BIG_ROWS'"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, not '$RUNS'"
[[ -x "$TIME" ]] || die "$TIME not found (Debian: apt-get install time)"
command -v node >/dev/null || die "node not found"
command -v python3 >/dev/null || die "python3 not found"

# ---- build ---------------------------------------------------------------------------------
say "building the release preset"
cmake --preset release >/dev/null
cmake --build --preset release

# ---- DuckDB oracle ---------------------------------------------------------------------------
want="$(node -p 'require("./package-lock.json").packages["node_modules/@duckdb/node-api"].version')"
have="$(node -p 'try { require("./node_modules/@duckdb/node-api/package.json").version } catch (e) { "" }')"
if [[ "$have" != "$want" ]]; then
    say "npm ci (@duckdb/node-api $want)"
    npm ci --no-audit --no-fund
fi

# ---- data --------------------------------------------------------------------------------------
# 10000000 -> 10m, 1000000 -> 1m, 250000 -> 250k, anything else as is
size_label() {
    local n=$1
    if ((n % 1000000 == 0)); then echo "$((n / 1000000))m"
    elif ((n % 1000 == 0)); then echo "$((n / 1000))k"
    else echo "$n"; fi
}

mkdir -p "$DATA" "$OUT"
sizes=(1000000)
if [[ "$BIG_ROWS" != 1000000 ]]; then sizes+=("$BIG_ROWS"); fi
files=()
for rows in "${sizes[@]}"; do
    f="$DATA/orders_$(size_label "$rows").csv"
    if [[ ! -s "$f" ]]; then
        say "generating $f ($rows rows, seed $SEED)"
        "$GEN" "$rows" "$SEED" >"$f.tmp"
        mv "$f.tmp" "$f"
    fi
    files+=("$f")
done

# ---- runs ---------------------------------------------------------------------------------------
RUNLOG="$OUT/runs.jsonl"
: >"$RUNLOG"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# run_one ENGINE FILE ROWS RUN: one measured process; appends a record to $RUNLOG
run_one() {
    local engine=$1 file=$2 rows=$3 run=$4
    local -a cmd
    case "$engine" in
    medallion) cmd=("$BENCH" "$file") ;;
    duckdb) cmd=(node bench/duckdb_csv.mjs "$file") ;;
    esac
    if ! "$TIME" -f '%M' -o "$tmp/rss" "${cmd[@]}" >"$tmp/out" 2>"$tmp/err"; then
        cat "$tmp/err" >&2
        die "$engine failed on $file"
    fi
    local result rss bytes
    result="$(tail -n 1 "$tmp/out")"
    rss="$(tail -n 1 "$tmp/rss")"
    bytes="$(stat -c %s "$file")"
    printf '{"workload":"csv parse+cast %s","engine":"%s","file":"%s","rows_generated":%s,"bytes":%s,"run":%d,"process_peak_rss_kib":%s,"result":%s}\n' \
        "$(size_label "$rows" | tr 'mk' 'MK')" "$engine" "$file" "$rows" "$bytes" "$run" \
        "$rss" "$result" >>"$RUNLOG"
    printf '    %-9s run %d: %s\n' "$engine" "$run" "$result" >&2
}

for i in "${!files[@]}"; do
    f="${files[$i]}"
    rows="${sizes[$i]}"
    say "csv parse+cast on $f, $RUNS runs per engine"
    cat "$f" >/dev/null # warm the page cache, as the reference figures were taken warm
    for ((r = 1; r <= RUNS; r++)); do
        run_one medallion "$f" "$rows" "$r"
        run_one duckdb "$f" "$rows" "$r"
    done
done

# ---- report -------------------------------------------------------------------------------------
echo
python3 bench/report.py "$RUNLOG" "$OUT/results.json"
