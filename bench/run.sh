#!/usr/bin/env bash
# bench/run.sh - the `make bench` driver: medallion against DuckDB on the same generated data.
#
# Builds the release preset (plus build/release/mdl_bench_pqwrite, compiled here with gcc
# against the release library), installs the pinned DuckDB oracle (npm ci) when needed,
# generates the orders CSVs once (bench/data/, seed 42), then runs three workloads on every
# file, medallion against DuckDB (one thread), BENCH_RUNS times per engine, alternating:
#   csv parse+cast    build/release/mdl_bench_csv        vs bench/duckdb_csv.mjs
#   csv→parquet zstd  build/release/medallion convert    vs bench/duckdb_csv2pq.mjs
#   parquet write     build/release/mdl_bench_pqwrite    vs bench/duckdb_pqwrite.mjs
# and a fourth on one Snowflake orders landing file built from `medallion generate`:
#   bronze ingest     build/release/medallion ingest     vs bench/duckdb_csv2pq.mjs --columns
#                     (contract, quarantine, metadata,      (the contract's types) --ignore-errors
#                      ZSTD Parquet, Delta commit)
# and four SQL queries (bench/sql/*.sql) over a lake made once from that file plus the FX rates
# of a small `medallion generate` (bench/data/sql_lake_*):
#   sqld sqle sqlscan sqlgroup  build/release/medallion query -f Q --parquet OUT
#                               vs bench/duckdb_sql.mjs run (COPY (Q) TO OUT, views over
#                               the same Parquet files); results checked by count + checksum
# and the whole company lakehouse (every silver and gold model) over a bronze lake ingested once
# from `medallion generate --scale BENCH_MODELS_SCALE` (bench/data/models_lake_*):
#   models            build/release/medallion build      vs bench/duckdb_models.mjs (the same
#                     (masking, merges, scd2, commits)      model SQL, in dependency order,
#                                                           COPY to Parquet; models only)
#                     both must produce the same total number of rows
# Every Parquet file written is read back by DuckDB (bench/duckdb_pqcheck.mjs): both engines'
# files must hold the same rows, sum(quantity) and sum(unit_price), or the run stops. The
# files go to bench/out/ and are deleted once measured. Prints a table of medians; per-run
# records go to bench/out/runs.jsonl and the summary to bench/out/results.json (report.py).
#
# Environment:
#   BENCH_ROWS   rows of the large file (default 10000000); a 1M-row file is always made
#   BENCH_RUNS   measured runs per engine and file (default 3)
#   BENCH_INGEST_ROWS  rows of the bronze ingest file (default 10000000)
#   BENCH_MODELS_SCALE scale of the models workload's generated sources (default 1)
#   BENCH_WORKLOADS    which workloads to run, a space-separated subset of
#                      "parse csv2pq pqwrite ingest sqld sqle sqlscan sqlgroup models"
#                      (default: all of them)
#
# Never part of `make test`: timings depend on the machine and on whatever else runs on it.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BIG_ROWS="${BENCH_ROWS:-10000000}"
RUNS="${BENCH_RUNS:-3}"
INGEST_ROWS="${BENCH_INGEST_ROWS:-10000000}"
SQL_CASES="sqld sqle sqlscan sqlgroup"
WORKLOADS=" ${BENCH_WORKLOADS:-parse csv2pq pqwrite ingest $SQL_CASES models} "
MODELS_SCALE="${BENCH_MODELS_SCALE:-1}"
SEED=42
DATA=bench/data
OUT=bench/out
GEN=build/release/mdl_gen_orders
BENCH=build/release/mdl_bench_csv
PQBENCH=build/release/mdl_bench_pqwrite
MEDALLION=build/release/medallion
TIME=/usr/bin/time
# The orders schema for the Parquet workloads (the same as in bench/bench_parquet_write.c).
SCHEMA="order_id string not null, customer_id string not null, product_id string not null, \
order_date date not null, order_ts timestamp not null, quantity int32 not null, \
unit_price decimal(12,2) not null, currency string not null, status string not null, \
country string not null, email string"

say() { printf '==> %s\n' "$*" >&2; }
die() { printf 'bench/run.sh: %s\n' "$*" >&2; exit 1; }
# now: EPOCHREALTIME with a '.' whatever the locale's decimal separator
now() { local t=$EPOCHREALTIME; echo "${t/,/.}"; }

[[ "$BIG_ROWS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROWS must be a positive integer, not '$BIG_ROWS'"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_RUNS must be a positive integer, not '$RUNS'"
[[ "$INGEST_ROWS" =~ ^[1-9][0-9]*$ ]] ||
    die "BENCH_INGEST_ROWS must be a positive integer, not '$INGEST_ROWS'"
for w in $WORKLOADS; do
    case "$w" in
    parse | csv2pq | pqwrite | ingest | sqld | sqle | sqlscan | sqlgroup | models) ;;
    *) die "unknown workload in BENCH_WORKLOADS: '$w' (parse, csv2pq, pqwrite, ingest, $SQL_CASES)" ;;
    esac
done
# wants WORKLOAD: whether BENCH_WORKLOADS asks for it
wants() { [[ "$WORKLOADS" == *" $1 "* ]]; }
# wants_sql: whether any SQL case is asked for
wants_sql() { local c; for c in $SQL_CASES; do wants "$c" && return 0; done; return 1; }
[[ -x "$TIME" ]] || die "$TIME not found (Debian: apt-get install time)"
command -v node >/dev/null || die "node not found"
command -v python3 >/dev/null || die "python3 not found"
command -v gcc >/dev/null || die "gcc not found"
[[ -n "${EPOCHREALTIME:-}" ]] || die "bash 5 or newer is needed (EPOCHREALTIME)"

# ---- build ---------------------------------------------------------------------------------
say "building the release preset"
cmake --preset release >/dev/null
cmake --build --preset release
# Built here with gcc rather than by CMake; it uses only the public headers and the library.
say "building $PQBENCH"
gcc -O2 -Iinclude bench/bench_parquet_write.c -Lbuild/release -lmedallion \
    -Wl,-rpath,"$PWD/build/release" -o "$PQBENCH"

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
if ! wants parse && ! wants csv2pq && ! wants pqwrite; then sizes=(); fi
for rows in "${sizes[@]}"; do
    f="$DATA/orders_$(size_label "$rows").csv"
    if [[ ! -s "$f" ]]; then
        say "generating $f ($rows rows, seed $SEED)"
        "$GEN" "$rows" "$SEED" >"$f.tmp"
        mv "$f.tmp" "$f"
    fi
    files+=("$f")
done

# The bronze ingest file: the Snowflake orders snapshot of `medallion generate` at the scale
# that has INGEST_ROWS orders (100,000 per unit of scale), its orders_NNN.csv files (100,000
# rows each) joined under the first one's header. The generator has no option to write one
# source only, so it writes the whole landing zone into a temporary directory, which is
# deleted as soon as the orders are copied out (scale 100: ~9 GB, ~2 minutes).
INGEST_FILE="$DATA/snowflake_orders_$(size_label "$INGEST_ROWS").csv"
if { wants ingest || wants_sql; } && [[ ! -s "$INGEST_FILE" ]]; then
    scale="$(awk -v n="$INGEST_ROWS" 'BEGIN { printf "%.5f", n / 100000 }')"
    gen="$DATA/landing.tmp"
    rm -rf "$gen"
    say "generating the landing zone at scale $scale (seed $SEED) for $INGEST_ROWS snapshot orders"
    t0="$(now)"
    "$MEDALLION" generate --scale "$scale" --seed "$SEED" --out "$gen" --quiet
    t1="$(now)"
    say "generated in $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }') s" \
        "($(du -sh "$gen" | cut -f 1)); keeping snowflake/orders/orders_*.csv only"
    {
        head -n 1 "$gen/snowflake/orders/orders_000.csv"
        for f in "$gen"/snowflake/orders/orders_[0-9]*.csv; do tail -n +2 "$f"; done
    } >"$INGEST_FILE.tmp"
    rm -rf "$gen"
    lines="$(wc -l <"$INGEST_FILE.tmp")"
    ((lines == INGEST_ROWS + 1)) ||
        die "$INGEST_FILE.tmp has $((lines - 1)) data rows, not $INGEST_ROWS"
    mv "$INGEST_FILE.tmp" "$INGEST_FILE"
fi

# ---- runs ---------------------------------------------------------------------------------------
RUNLOG="$OUT/runs.jsonl"
: >"$RUNLOG"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# Noise: CPU that other processes used while one of ours ran. busy_jiffies is the machine's
# busy time (user+nice+system+irq+softirq+steal) from /proc/stat; other_cpu J0 J1 TIMEFILE
# subtracts the measured process's own user+sys (fields 2 and 3 of TIMEFILE).
CLK_TCK="$(getconf CLK_TCK)"
busy_jiffies() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' /proc/stat; }
other_cpu() {
    tail -n 1 "$3" | awk -v j0="$1" -v j1="$2" -v hz="$CLK_TCK" \
        '{ x = (j1 - j0) / hz - $2 - $3; printf "%.2f", x < 0 ? 0 : x }'
}

# run_one ENGINE FILE ROWS RUN: one measured process; appends a record to $RUNLOG
run_one() {
    local engine=$1 file=$2 rows=$3 run=$4
    local -a cmd
    case "$engine" in
    medallion) cmd=("$BENCH" "$file") ;;
    duckdb) cmd=(node bench/duckdb_csv.mjs "$file") ;;
    esac
    local j0 j1
    j0="$(busy_jiffies)"
    if ! "$TIME" -f '%M %U %S %e' -o "$tmp/rss" "${cmd[@]}" >"$tmp/out" 2>"$tmp/err"; then
        cat "$tmp/err" >&2
        die "$engine failed on $file"
    fi
    j1="$(busy_jiffies)"
    local result rss bytes other wall
    result="$(tail -n 1 "$tmp/out")"
    rss="$(tail -n 1 "$tmp/rss" | cut -d ' ' -f 1)"
    wall="$(tail -n 1 "$tmp/rss" | cut -d ' ' -f 4)"
    bytes="$(stat -c %s "$file")"
    other="$(other_cpu "$j0" "$j1" "$tmp/rss")"
    printf '{"workload":"csv parse+cast %s","engine":"%s","file":"%s","rows_generated":%s,"bytes":%s,"run":%d,"process_peak_rss_kib":%s,"wall_s":%s,"other_cpu_s":%s,"result":%s}\n' \
        "$(size_label "$rows" | tr 'mk' 'MK')" "$engine" "$file" "$rows" "$bytes" "$run" \
        "$rss" "$wall" "$other" "$result" >>"$RUNLOG"
    printf '    %-9s run %d: %s\n' "$engine" "$run" "$result" >&2
}

parse_idx=()
if wants parse; then parse_idx=("${!files[@]}"); fi
for i in "${parse_idx[@]}"; do
    f="${files[$i]}"
    rows="${sizes[$i]}"
    say "csv parse+cast on $f, $RUNS runs per engine"
    cat "$f" >/dev/null # warm the page cache, as the reference figures were taken warm
    for ((r = 1; r <= RUNS; r++)); do
        run_one medallion "$f" "$rows" "$r"
        run_one duckdb "$f" "$rows" "$r"
    done
done

# ---- Parquet-writing workloads ------------------------------------------------------------------
# readback FILE.parquet: DuckDB's {"file","rows","sum_quantity","sum_unit_price"} for it
readback() {
    if ! node bench/duckdb_pqcheck.mjs "$1" >"$tmp/check" 2>"$tmp/checkerr"; then
        cat "$tmp/checkerr" >&2
        die "DuckDB cannot read $1"
    fi
    tail -n 1 "$tmp/check"
}

# run_pq KIND ENGINE FILE ROWS RUN OUTFILE: one measured process of a Parquet-writing workload.
# Appends a record to $RUNLOG and leaves DuckDB's read-back of OUTFILE in $tmp/readback.ENGINE.
run_pq() {
    local kind=$1 engine=$2 file=$3 rows=$4 run=$5 out=$6
    local -a cmd
    local workload csv_input=true label
    label="$(size_label "$rows" | tr 'mk' 'MK')"
    case "$kind" in
    csv2pq) workload="csv→parquet zstd $label" ;;
    pqwrite) workload="parquet write zstd $label" csv_input=false ;;
    esac
    case "$kind/$engine" in
    csv2pq/medallion) cmd=("$MEDALLION" convert "$file" "$out" --schema "$SCHEMA" --quiet) ;;
    csv2pq/duckdb) cmd=(node bench/duckdb_csv2pq.mjs "$file" "$out") ;;
    pqwrite/medallion) cmd=("$PQBENCH" "$file" "$out") ;;
    pqwrite/duckdb) cmd=(node bench/duckdb_pqwrite.mjs "$file" "$out") ;;
    esac
    rm -f "$out"
    local t0 t1 j0 j1
    j0="$(busy_jiffies)"
    t0="$(now)"
    if ! "$TIME" -f '%M %U %S' -o "$tmp/rss" "${cmd[@]}" >"$tmp/out" 2>"$tmp/err"; then
        cat "$tmp/err" >&2
        die "$engine failed on $workload ($file)"
    fi
    t1="$(now)"
    j1="$(busy_jiffies)"
    [[ -s "$out" ]] || die "$engine wrote no $out for $workload"
    local wall rss bytes out_bytes result line other
    wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')"
    rss="$(tail -n 1 "$tmp/rss" | cut -d ' ' -f 1)"
    other="$(other_cpu "$j0" "$j1" "$tmp/rss")"
    bytes="$(stat -c %s "$file")"
    out_bytes="$(stat -c %s "$out")"
    line="$(tail -n 1 "$tmp/out")"
    if [[ "$kind/$engine" == csv2pq/medallion ]]; then
        # "IN -> OUT: N rows written, R rejected, X MB in, Y MB out, S s (R M rows/s)"; the
        # whole process is the job, so its wall time is the measurement
        local parsed
        parsed="$(sed -nE 's/.*: ([0-9]+) rows written, ([0-9]+) rejected, .* MB out, ([0-9.]+) s \(.*/\1 \2 \3/p' <<<"$line")"
        [[ -n "$parsed" ]] || die "cannot parse medallion convert's summary: $line"
        local n rej secs
        read -r n rej secs <<<"$parsed"
        result="{\"rows\":$n,\"rejected\":$rej,\"seconds\":$wall,\"bytes\":$out_bytes,\"reported_seconds\":$secs}"
    else
        result="$line"
    fi
    local check
    check="$(readback "$out")"
    cp "$tmp/check" "$tmp/readback.$engine"
    rm -f "$out"
    printf '{"workload":"%s","engine":"%s","file":"%s","rows_generated":%s,"bytes":%s,"csv_input":%s,"output_bytes":%s,"run":%d,"process_peak_rss_kib":%s,"wall_s":%s,"other_cpu_s":%s,"result":%s,"readback":%s}\n' \
        "$workload" "$engine" "$file" "$rows" "$bytes" "$csv_input" "$out_bytes" "$run" "$rss" \
        "$wall" "$other" "$result" "$check" >>"$RUNLOG"
    printf '    %-9s run %d: %s (wall %.2f s, %s bytes; read back: %s)\n' "$engine" "$run" \
        "$result" "$wall" "$out_bytes" "$check" >&2
}

# same_output WORKLOAD ROWS: both engines' read-backs agree with each other and with ROWS
same_output() {
    python3 - "$1" "$2" "$tmp/readback.medallion" "$tmp/readback.duckdb" <<'PY' || exit 1
import json, sys
workload, rows, paths = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
m, d = (json.load(open(p)) for p in paths)
bad = [f"{k}: medallion {m[k]}, duckdb {d[k]}" for k in ("rows", "sum_quantity", "sum_unit_price")
       if str(m[k]) != str(d[k])]
if m["rows"] != rows:
    bad.append(f"rows: {m['rows']} read back, {rows} in the CSV")
if bad:
    sys.exit(f"bench/run.sh: {workload}: the Parquet outputs differ: " + "; ".join(bad))
PY
}

for kind in csv2pq pqwrite; do
    wants "$kind" || continue
    for i in "${!files[@]}"; do
        f="${files[$i]}"
        rows="${sizes[$i]}"
        case "$kind" in
        csv2pq) say "csv→parquet zstd on $f, $RUNS runs per engine" ;;
        pqwrite) say "parquet write zstd (from memory) of $f, $RUNS runs per engine" ;;
        esac
        cat "$f" >/dev/null
        for ((r = 1; r <= RUNS; r++)); do
            run_pq "$kind" medallion "$f" "$rows" "$r" "$OUT/${kind}_medallion.parquet"
            run_pq "$kind" duckdb "$f" "$rows" "$r" "$OUT/${kind}_duckdb.parquet"
            same_output "$kind $(size_label "$rows") run $r" "$rows"
        done
    done
done

# ---- bronze ingest ------------------------------------------------------------------------------
# medallion: the whole `medallion ingest` of INGEST_FILE into a fresh lake, by a copy of the
# snowflake_orders contract whose source path is that one file (landing root: bench/data).
# It reads with the contract's types, quarantines the rows that break them (about 0.15% of
# the generated rows are defective on purpose, docs/landing.md), adds the five metadata
# columns, writes ZSTD Parquet partitioned by _ingest_date and commits to the Delta log (data
# and log fsynced). DuckDB: COPY of read_csv(...) with the contract's types to one ZSTD
# Parquet file, skipping the rows that do not convert (ignore_errors). DuckDB's own sniffing
# (`read_csv(file, header = true)` and nothing else) is no option here: on this file it either
# reads each line as one VARCHAR column or, given the delimiter, cannot detect the dialect.
# The types of lakehouse/contracts/bronze/snowflake_orders.yaml, for DuckDB:
INGEST_DUCK_COLUMNS="{'ORDER_ID': 'VARCHAR', 'CUSTOMER_ID': 'VARCHAR', 'PRODUCT_ID': 'VARCHAR', \
'ORDER_DATE': 'DATE', 'ORDER_TS': 'TIMESTAMP', 'QUANTITY': 'INTEGER', \
'UNIT_PRICE': 'DECIMAL(18,2)', 'DISCOUNT_PCT': 'DECIMAL(5,2)', 'TAX_AMOUNT': 'DECIMAL(18,2)', \
'SHIPPING_COST': 'DECIMAL(18,2)', 'TOTAL_AMOUNT': 'DECIMAL(18,2)', 'CURRENCY': 'VARCHAR', 'PAYMENT_METHOD': 'VARCHAR', \
'STATUS': 'VARCHAR', 'CHANNEL': 'VARCHAR', 'OP': 'VARCHAR', 'UPDATED_AT': 'TIMESTAMP'}"
INGEST_LAKE="$OUT/ingest_lake"

# ingest_contract: the bench copy of the contract, in $tmp/contracts/bronze/
ingest_contract() {
    mkdir -p "$tmp/contracts/bronze"
    python3 - lakehouse/contracts/bronze/snowflake_orders.yaml \
        "$tmp/contracts/bronze/snowflake_orders.yaml" "$(basename "$INGEST_FILE")" <<'PY' || exit 1
import re, sys
src, dst, name = sys.argv[1:]
text = open(src, encoding="utf-8").read()
text, n = re.subn(r"^  paths:\n(?:    - .*\n)+", f"  paths:\n    - {name}\n", text, flags=re.M)
if n != 1:
    sys.exit(f"bench/run.sh: {src}: cannot find its source paths to replace")
open(dst, "w", encoding="utf-8").write(text)
PY
}

# run_ingest ENGINE RUN: one measured process of the bronze ingest; appends a record to $RUNLOG
# and leaves DuckDB's read-back of the output in $tmp/readback.ENGINE
run_ingest() {
    local engine=$1 run=$2 file=$INGEST_FILE rows=$INGEST_ROWS
    local workload duck_out="$OUT/ingest_duckdb.parquet" target
    workload="bronze ingest $(size_label "$rows" | tr 'mk' 'MK')"
    local -a cmd
    case "$engine" in
    medallion)
        rm -rf "$INGEST_LAKE"
        # --no-checks: DuckDB's COPY checks nothing, and the bench file's ids are wider than
        # the seed company's (10M orders, CUST-nnnnnnn), which the contract's regex checks reject
        cmd=("$MEDALLION" ingest snowflake_orders --landing "$DATA" --lake "$INGEST_LAKE"
            --contracts "$tmp/contracts" --quiet --json --no-checks)
        target="$INGEST_LAKE/bronze/snowflake_orders/**/*.parquet"
        ;;
    duckdb)
        rm -f "$duck_out"
        cmd=(node bench/duckdb_csv2pq.mjs "$file" "$duck_out" --columns "$INGEST_DUCK_COLUMNS"
            --ignore-errors)
        target="$duck_out"
        ;;
    esac
    local t0 t1 j0 j1
    j0="$(busy_jiffies)"
    t0="$(now)"
    if ! "$TIME" -f '%M %U %S' -o "$tmp/rss" "${cmd[@]}" >"$tmp/out" 2>"$tmp/err"; then
        cat "$tmp/err" "$tmp/out" >&2
        die "$engine failed on $workload ($file)"
    fi
    t1="$(now)"
    j1="$(busy_jiffies)"
    local wall rss bytes out_bytes result other
    wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')"
    rss="$(tail -n 1 "$tmp/rss" | cut -d ' ' -f 1)"
    other="$(other_cpu "$j0" "$j1" "$tmp/rss")"
    bytes="$(stat -c %s "$file")"
    if [[ "$engine" == medallion ]]; then
        # the bronze data files (the quarantine table's are not counted)
        out_bytes="$(find "$INGEST_LAKE/bronze" -name '*.parquet' -printf '%s\n' |
            awk '{ s += $1 } END { print s + 0 }')"
        # the whole process is the job: its wall time is the measurement (medallion's own
        # figure, from before the contracts are loaded to after the commit, is kept too)
        result="$(python3 - "$tmp/out" "$wall" "$out_bytes" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
t = doc["tables"][0]
if t["status"] != "ok":
    sys.exit(f"bench/run.sh: medallion ingest: {t['status']}: {t.get('error')}")
print(json.dumps({"rows": t["rows_read"], "written": t["rows_written"],
                  "rejected": t["rows_quarantined"], "seconds": float(sys.argv[2]),
                  "bytes": int(sys.argv[3]), "reported_seconds": t["seconds"]}))
PY
)" || exit 1
    else
        out_bytes="$(stat -c %s "$duck_out")"
        # DuckDB reports the rows it wrote; the others of the file's rows it skipped
        result="$(tail -n 1 "$tmp/out" | python3 -c '
import json, sys
r = json.load(sys.stdin)
n = int(sys.argv[1])
print(json.dumps({"rows": n, "written": r["rows"], "rejected": n - r["rows"],
                  "seconds": r["seconds"], "bytes": r["bytes"]}))' "$rows")"
    fi
    local check
    check="$(readback "$target")"
    cp "$tmp/check" "$tmp/readback.$engine"
    rm -rf "$INGEST_LAKE" "$duck_out"
    printf '{"workload":"%s","engine":"%s","file":"%s","rows_generated":%s,"bytes":%s,"csv_input":true,"output_bytes":%s,"run":%d,"process_peak_rss_kib":%s,"wall_s":%s,"other_cpu_s":%s,"result":%s,"readback":%s}\n' \
        "$workload" "$engine" "$file" "$rows" "$bytes" "$out_bytes" "$run" "$rss" "$wall" \
        "$other" "$result" "$check" >>"$RUNLOG"
    printf '    %-9s run %d: %s (wall %.2f s, peak RSS %s KiB; read back: %s)\n' "$engine" \
        "$run" "$result" "$wall" "$rss" "$check" >&2
    if [[ "$engine" == medallion ]]; then
        written="$(python3 -c 'import json, sys; print(json.loads(sys.argv[1])["written"])' \
            "$result")"
    fi
}

if wants ingest; then
    ingest_contract
    say "bronze ingest of $INGEST_FILE, $RUNS runs per engine"
    cat "$INGEST_FILE" >/dev/null
    for ((r = 1; r <= RUNS; r++)); do
        run_ingest medallion "$r"
        run_ingest duckdb "$r"
        # both outputs hold the rows medallion wrote to bronze, with the same sums
        same_output "bronze ingest $(size_label "$INGEST_ROWS") run $r" "$written"
    done
fi
# ---- SQL queries --------------------------------------------------------------------------------
# A lake made once under bench/data/ (gitignored): bronze.snowflake_orders by the bronze ingest
# above of INGEST_FILE (same contract copy, same landing root), and bronze.fx_rates from the
# fx/ files of a small `medallion generate` (FX is a calendar that does not scale: the weekdays
# of the 730 days before --as-of; the same default --as-of as the orders file, so every
# non-future order date has its rates). Then every case: `medallion query -f bench/sql/Q.sql
# --parquet OUT` (whole process) against bench/duckdb_sql.mjs (COPY (Q) TO OUT over views of
# the same Parquet files, query only), both results read back and compared.
SQL_LAKE="$DATA/sql_lake_$(size_label "$INGEST_ROWS")"
FX_LANDING="$DATA/fx_landing"
# --memory: a budget neither engine hits (DuckDB's default limit is 80% of RAM); the GROUP BY
# over 2.4M customers holds about 0.7 GiB, over medallion's default of 512 MiB
SQL_MEMORY_MB=4096
declare -A SQL_FILE=([sqld]=sqld_fx_revenue [sqle]=sqle_latest_per_key
    [sqlscan]=sqlscan_filter [sqlgroup]=sqlgroup_customer)
declare -A SQL_NAME=([sqld]="sql (d) fx revenue" [sqle]="sql (e) latest per key"
    [sqlscan]="sql filter scan" [sqlgroup]="sql group by customer")

build_sql_lake() {
    [[ -f "$SQL_LAKE/.complete" ]] && return 0
    rm -rf "$SQL_LAKE" "$FX_LANDING" "$FX_LANDING.tmp"
    say "building $SQL_LAKE from $INGEST_FILE and the FX rates of medallion generate --scale 0.01"
    "$MEDALLION" generate --scale 0.01 --seed "$SEED" --out "$FX_LANDING.tmp" --quiet
    mkdir -p "$FX_LANDING"
    mv "$FX_LANDING.tmp/fx" "$FX_LANDING/fx"
    rm -rf "$FX_LANDING.tmp"
    ingest_contract
    "$MEDALLION" ingest snowflake_orders --landing "$DATA" --lake "$SQL_LAKE" \
        --contracts "$tmp/contracts" --quiet --no-checks
    "$MEDALLION" ingest fx_rates --landing "$FX_LANDING" --lake "$SQL_LAKE" --quiet
    # the rows the queries read, for rows/s
    "$MEDALLION" query "SELECT count(*) FROM bronze.snowflake_orders" --lake "$SQL_LAKE" --csv |
        tail -n 1 >"$SQL_LAKE/.complete"
}

# sql_check FILE.parquet: DuckDB's count + per-column checksum of a result file
sql_check() {
    if ! node bench/duckdb_sql.mjs check "$1" >"$tmp/check" 2>"$tmp/checkerr"; then
        cat "$tmp/checkerr" >&2
        die "DuckDB cannot read $1"
    fi
    tail -n 1 "$tmp/check"
}

# run_sql CASE ENGINE RUN: one measured process of a SQL case; appends a record to $RUNLOG and
# leaves the read-back of the result in $tmp/readback.ENGINE
run_sql() {
    local case=$1 engine=$2 run=$3
    local query="bench/sql/${SQL_FILE[$case]}.sql" out="$OUT/${case}_$engine.parquet"
    local workload="${SQL_NAME[$case]} $(size_label "$INGEST_ROWS" | tr 'mk' 'MK')"
    local -a cmd
    case "$engine" in
    medallion) cmd=("$MEDALLION" query -f "$query" --lake "$SQL_LAKE" --parquet "$out"
        --memory "$SQL_MEMORY_MB") ;;
    duckdb) cmd=(node bench/duckdb_sql.mjs run "$MEDALLION" "$SQL_LAKE" "$query" "$out") ;;
    esac
    rm -f "$out"
    local t0 t1 j0 j1
    j0="$(busy_jiffies)"
    t0="$(now)"
    if ! "$TIME" -f '%M %U %S' -o "$tmp/rss" "${cmd[@]}" >"$tmp/out" 2>"$tmp/err"; then
        cat "$tmp/err" "$tmp/out" >&2
        die "$engine failed on $workload"
    fi
    t1="$(now)"
    j1="$(busy_jiffies)"
    [[ -s "$out" ]] || die "$engine wrote no $out for $workload"
    local wall rss out_bytes result other check
    wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')"
    rss="$(tail -n 1 "$tmp/rss" | cut -d ' ' -f 1)"
    other="$(other_cpu "$j0" "$j1" "$tmp/rss")"
    out_bytes="$(stat -c %s "$out")"
    check="$(sql_check "$out")"
    cp "$tmp/check" "$tmp/readback.$engine"
    if [[ "$engine" == medallion ]]; then
        # the whole process is the measurement; rows as read back from its result file
        result="$(python3 -c 'import json, sys; c = json.loads(sys.argv[1]); print(json.dumps({"rows": c["rows"], "seconds": float(sys.argv[2]), "bytes": int(sys.argv[3])}))' \
            "$check" "$wall" "$out_bytes")"
    else
        result="$(tail -n 1 "$tmp/out")"
    fi
    rm -f "$out"
    printf '{"workload":"%s","engine":"%s","file":"%s","rows_generated":%s,"input_rows":%s,"bytes":%s,"csv_input":false,"sql":true,"output_bytes":%s,"run":%d,"process_peak_rss_kib":%s,"wall_s":%s,"other_cpu_s":%s,"result":%s,"readback":%s}\n' \
        "$workload" "$engine" "$query" "$INGEST_ROWS" "$(cat "$SQL_LAKE/.complete")" 0 "$out_bytes" "$run" "$rss" "$wall" \
        "$other" "$result" "$check" >>"$RUNLOG"
    printf '    %-9s run %d: %s (wall %.2f s, peak RSS %s KiB)\n' "$engine" "$run" "$result" \
        "$wall" "$rss" >&2
}

if wants_sql; then
    build_sql_lake
    for c in $SQL_CASES; do
        wants "$c" || continue
        say "${SQL_NAME[$c]} (bench/sql/${SQL_FILE[$c]}.sql), $RUNS runs per engine"
        find "$SQL_LAKE" -name '*.parquet' -exec cat {} + >/dev/null
        for ((r = 1; r <= RUNS; r++)); do
            run_sql "$c" medallion "$r"
            run_sql "$c" duckdb "$r"
            python3 bench/report.py --same "$c run $r" "$tmp/readback.medallion" \
                "$tmp/readback.duckdb" || exit 1
        done
    done
fi
rm -rf "$OUT/duck_tmp"

# ---- the lakehouse models ----------------------------------------------------------------------
MODELS_LAKE="$DATA/models_lake_$MODELS_SCALE"
build_models_lake() {
    [[ -f "$MODELS_LAKE/.complete" ]] && return 0
    rm -rf "$MODELS_LAKE" "$DATA/models_landing"
    say "building $MODELS_LAKE: medallion generate --scale $MODELS_SCALE, then ingest"
    "$MEDALLION" generate --scale "$MODELS_SCALE" --seed "$SEED" --out "$DATA/models_landing" --quiet
    "$MEDALLION" ingest --landing "$DATA/models_landing" --lake "$MODELS_LAKE" \
        --contracts lakehouse/contracts --quiet
    rm -rf "$DATA/models_landing"
    touch "$MODELS_LAKE/.complete"
}

# run_models ENGINE RUN: one measured build of every model into a fresh copy of the bronze lake
run_models() {
    local engine=$1 run=$2 lake="$OUT/models_lake" workload="models scale $MODELS_SCALE"
    rm -rf "$lake" "$OUT/models_duck"
    mkdir -p "$lake"
    cp -r "$MODELS_LAKE/bronze" "$lake/"
    local -a cmd
    case "$engine" in
    medallion) cmd=("$MEDALLION" build --lake "$lake" --contracts lakehouse/contracts
        --models lakehouse/models) ;;
    duckdb) cmd=(node bench/duckdb_models.mjs "$MEDALLION" "$lake" lakehouse/contracts
        lakehouse/models "$OUT/models_duck") ;;
    esac
    local t0 t1 j0 j1
    j0="$(busy_jiffies)"
    t0="$(now)"
    if ! MEDALLION_PII_KEY=bench-key-0123456789 "$TIME" -f '%M %U %S' -o "$tmp/rss" \
        "${cmd[@]}" >"$tmp/out" 2>"$tmp/err"; then
        cat "$tmp/err" "$tmp/out" >&2
        die "$engine failed on $workload"
    fi
    t1="$(now)"
    j1="$(busy_jiffies)"
    local wall rss other result
    wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.6f", b - a }')"
    rss="$(tail -n 1 "$tmp/rss" | cut -d ' ' -f 1)"
    other="$(other_cpu "$j0" "$j1" "$tmp/rss")"
    if [[ "$engine" == medallion ]]; then
        # the whole process is the measurement; rows = the rows every model wrote
        result="$(awk -v w="$wall" '$1 ~ /^(silver|gold)\./ { if ($NF != "ok") bad = 1; n += $3 }
            END { if (bad) exit 1; printf "{\"rows\": %d, \"seconds\": %s}\n", n, w }' "$tmp/out")" ||
            die "medallion build: a model did not build"
    else
        result="$(tail -n 1 "$tmp/out")"
    fi
    rm -rf "$lake" "$OUT/models_duck"
    printf '{"workload":"%s","engine":"%s","file":"%s","rows_generated":%s,"bytes":0,"csv_input":false,"run":%d,"process_peak_rss_kib":%s,"wall_s":%s,"other_cpu_s":%s,"result":%s}\n' \
        "$workload" "$engine" "$MODELS_LAKE" 0 "$run" "$rss" "$wall" "$other" "$result" >>"$RUNLOG"
    printf '    %-9s run %d: %s (wall %.2f s, peak RSS %s KiB)\n' "$engine" "$run" "$result" \
        "$wall" "$rss" >&2
}

if wants models; then
    build_models_lake
    say "every silver and gold model over $MODELS_LAKE, $RUNS runs per engine"
    for ((r = 1; r <= RUNS; r++)); do
        run_models medallion "$r"
        run_models duckdb "$r"
    done
fi

# ---- report -------------------------------------------------------------------------------------
echo
python3 bench/report.py "$RUNLOG" "$OUT/results.json"
