#!/usr/bin/env python3
"""bench/report.py - turns bench/run.sh's per-run records into the benchmark table.

    python3 bench/report.py bench/out/runs.jsonl bench/out/results.json

Reads one JSON record per measured process, takes medians per (workload, engine), prints an
aligned table and writes the summary (plus every run) as JSON. Also checks that medallion
and DuckDB saw the same data: same row count, no rejects, same sum(quantity) and
sum(unit_price). For the workloads that write Parquet (records with "output_bytes") those
come from DuckDB reading each output file back ("readback"), and the table gains the output
size, a size ratio and, for csv→parquet and bronze ingest, a whole-process wall-clock
comparison. Bronze ingest records also carry "written" (rows in the output) and "rejected"
(rows quarantined by medallion, skipped by DuckDB): both engines must agree on them, and the
report says whether the issue's acceptance holds (medallion's ingest at least as fast as
DuckDB's COPY, peak RSS under 256 MiB). SQL records ("sql": true) carry the read-back of the
result file as a row count plus per-column checksums (bench/duckdb_sql.mjs check); the two
engines' must agree (same_checksum), and the issue's SQL targets are reported ((d) and the
GROUP BY no slower than DuckDB; (e) at least 2x faster at no more than half DuckDB's peak RSS).

    python3 bench/report.py --same LABEL A.json B.json   # exit 1 unless two read-backs agree
Standard library only.
"""
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

# DuckDB 1.5.6, one thread, this machine class (shared/reference/peer-baselines.md §1, §5).
REFERENCE = ("DuckDB reference (peer-baselines §1/§5, 10M rows, 1 thread): parse+cast 4.2 s, "
             "2.38 M rows/s, 290 MB/s; csv→parquet zstd 11.38 s, 0.88 M rows/s, 237 MiB, "
             "224.2 MB out; parquet zstd write from memory 7.07 s, 1.41 M rows/s")


def human_rate(x):
    if x >= 1e6:
        return f"{x / 1e6:.2f} M"
    if x >= 1e3:
        return f"{x / 1e3:.0f} k"
    return f"{x:.0f}"


def load(path):
    runs = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if line:
                runs.append(json.loads(line))
    return runs


def summarise(runs):
    groups = {}
    for r in runs:
        groups.setdefault((r["workload"], r["engine"]), []).append(r)
    rows = []
    for (workload, engine), rs in groups.items():
        secs = [r["result"]["seconds"] for r in rs]
        rss = [r["process_peak_rss_kib"] for r in rs]
        med = statistics.median(secs)
        n = rs[0]["result"]["rows"]
        if rs[0].get("sql"):
            n = rs[0]["input_rows"]  # rows/s over the rows the query reads
        nbytes = rs[0]["bytes"]
        csv_input = rs[0].get("csv_input", True)
        writes = "output_bytes" in rs[0] and not rs[0].get("sql")
        # rows and sums to compare: read back from the Parquet output when there is one
        seen = rs[0]["readback"] if writes else rs[0]["result"]
        rows.append({
            "workload": workload,
            "engine": engine,
            "file": rs[0]["file"],
            "rows": n,
            "written": rs[0]["result"].get("written", n),
            "bytes": nbytes,
            "runs": len(rs),
            "median_s": med,
            "min_s": min(secs),
            "max_s": max(secs),
            "rows_per_s": n / med if med > 0 else None,
            "mb_per_s": nbytes / 1e6 / med if med > 0 and csv_input else None,
            "peak_rss_mib": statistics.median(rss) / 1024.0,
            "rejected": max(r["result"].get("rejected", 0) for r in rs),
            "sum_quantity": seen.get("sum_quantity", seen.get("checksum", {}).get("sum_quantity")),
            "sum_unit_price": seen.get("sum_unit_price",
                                       seen.get("checksum", {}).get("sum_unit_price")),
        })
        if writes:
            rows[-1].update({
                "output_bytes": statistics.median(r["output_bytes"] for r in rs),
                "output_bytes_min": min(r["output_bytes"] for r in rs),
                "output_bytes_max": max(r["output_bytes"] for r in rs),
                "median_wall_s": statistics.median(r["wall_s"] for r in rs),
                # every run's file read back: rows as reported by the engine, rows read back
                "readback_rows": sorted({r["readback"]["rows"] for r in rs}),
                "readback_sums": sorted({(r["readback"]["sum_quantity"],
                                          str(r["readback"]["sum_unit_price"])) for r in rs}),
            })
        if rs[0].get("sql"):
            rows[-1].update({
                "sql": True,
                "output_bytes": statistics.median(r["output_bytes"] for r in rs),
                "result_rows": rs[0]["readback"]["rows"],
                "median_wall_s": statistics.median(r["wall_s"] for r in rs),
                "readbacks": [r["readback"] for r in rs],
            })
    # ratio = duckdb seconds / medallion seconds, on the medallion row
    by_key = {(r["workload"], r["engine"]): r for r in rows}
    for r in rows:
        r["ratio"] = None
        duck = by_key.get((r["workload"], "duckdb"))
        if r["engine"] == "medallion" and duck and r["median_s"] > 0:
            r["ratio"] = duck["median_s"] / r["median_s"]
    return rows


def check(rows):
    problems = []
    by_workload = {}
    for r in rows:
        by_workload.setdefault(r["workload"], {})[r["engine"]] = r
    for workload, engines in by_workload.items():
        m, d = engines.get("medallion"), engines.get("duckdb")
        ingest = workload.startswith(INGEST)
        if m and m["rejected"] and not ingest:
            problems.append(f"{workload}: medallion rejected {m['rejected']} rows")
        for e in (m, d):
            if e and "readback_rows" in e:
                if e["readback_rows"] != [e["written"]]:
                    problems.append(f"{workload}: {e['engine']} reported {e['written']} rows, "
                                    f"DuckDB read back {e['readback_rows']}")
                if len(e["readback_sums"]) != 1:
                    problems.append(f"{workload}: {e['engine']}'s outputs differ between runs: "
                                    f"{e['readback_sums']}")
        if not (m and d):
            continue
        if m.get("sql"):
            for a in m["readbacks"] + d["readbacks"]:
                diff = same_checksum(m["readbacks"][0], a)
                if diff:
                    problems.append(f"{workload}: results differ: {diff}")
                    break
            continue
        for key in ("rows", "written", "rejected", "sum_quantity", "sum_unit_price"):
            if str(m[key]) != str(d[key]):
                problems.append(f"{workload}: {key} differs: medallion {m[key]}, duckdb {d[key]}")
    return problems


INGEST = "bronze ingest"


def same_checksum(a, b):
    """None if two result read-backs (bench/duckdb_sql.mjs check) agree, else what differs:
    row count, column count, per column the non-NULL count and the sum (numbers within 1e-9
    relative, the rest exactly)."""
    if a["rows"] != b["rows"]:
        return f"rows {a['rows']} against {b['rows']}"
    if len(a["columns"]) != len(b["columns"]):
        return f"{len(a['columns'])} columns against {len(b['columns'])}"
    for x, y in zip(a["columns"], b["columns"]):
        if x["nonnull"] != y["nonnull"]:
            return f"column {x['name']}: {x['nonnull']} non-NULL values against {y['nonnull']}"
        u, v = x["sum"], y["sum"]
        if isinstance(u, (int, float)) and isinstance(v, (int, float)):
            if abs(u - v) > 1e-9 * max(abs(u), abs(v)):
                return f"column {x['name']}: sum {u!r} against {v!r}"
        elif u != v:
            return f"column {x['name']} ({x['type']} / {y['type']}): checksum {u} against {v}"
    return None


def sql_acceptance(rows):
    """The issue's SQL targets: (d) and the GROUP BY no slower than DuckDB; (e) at least
    twice as fast with at most half DuckDB's peak RSS."""
    by_key = {(r["workload"], r["engine"]): r for r in rows}
    for r in rows:
        d = by_key.get((r["workload"], "duckdb"))
        if r["engine"] != "medallion" or not r.get("sql") or not d:
            continue
        ratio = d["median_s"] / r["median_s"]
        mem = r["peak_rss_mib"] / d["peak_rss_mib"]
        if "(e)" in r["workload"]:
            fast, small = ratio >= 2, mem <= 0.5
            print(f"accept {r['workload']}: speed {'met' if fast else 'NOT met'} ({ratio:.2f}x, "
                  f"target 2x); memory {'met' if small else 'NOT met'} (peak RSS "
                  f"{r['peak_rss_mib']:.0f} MiB = {mem:.2f} of DuckDB's {d['peak_rss_mib']:.0f}, "
                  f"target 0.5)")
        elif "(d)" in r["workload"] or "group by" in r["workload"]:
            print(f"accept {r['workload']}: speed {'met' if ratio >= 1 else 'NOT met'} "
                  f"({ratio:.2f}x, target 1x); peak RSS {r['peak_rss_mib']:.0f} MiB against "
                  f"{d['peak_rss_mib']:.0f}")
        else:
            print(f"{r['workload']}: {ratio:.2f}x (no target); peak RSS "
                  f"{r['peak_rss_mib']:.0f} MiB against {d['peak_rss_mib']:.0f}")
RSS_LIMIT_MIB = 256


def acceptance(rows):
    """The issue's acceptance for each bronze ingest size: medallion's whole ingest at least
    as fast as DuckDB's COPY (one thread each), and medallion's peak RSS under 256 MiB."""
    by_key = {(r["workload"], r["engine"]): r for r in rows}
    for r in rows:
        d = by_key.get((r["workload"], "duckdb"))
        if r["engine"] != "medallion" or not r["workload"].startswith(INGEST) or not d:
            continue
        fast = r["median_s"] <= d["median_s"]
        small = r["peak_rss_mib"] < RSS_LIMIT_MIB
        print(f"accept {r['workload']}: speed {'met' if fast else 'NOT met'} (medallion "
              f"{r['median_s']:.2f} s whole process, DuckDB {d['median_s']:.2f} s COPY); "
              f"memory {'met' if small else 'NOT met'} (peak RSS {r['peak_rss_mib']:.1f} MiB, "
              f"limit {RSS_LIMIT_MIB}); {r['written']} rows to bronze, {r['rejected']} to "
              f"quarantine (DuckDB: {d['written']} written, {d['rejected']} skipped)")


def faster(ratio):
    if ratio is None:
        return "-"
    if ratio >= 1:
        return f"{ratio:.2f}x faster"
    return f"{1 / ratio:.2f}x slower"


def print_table(rows):
    w = max([20] + [len(r["workload"]) for r in rows])
    header = (f"{'workload':<{w}} {'engine':<10} {'rows':<10} {'seconds':<8} {'rows/s':<10} "
              f"{'MB/s':<7} {'peak RSS MiB':<13} {'output MB':<10} ratio")
    print(header)
    for r in rows:
        mbs = "-" if r["mb_per_s"] is None else f"{r['mb_per_s']:.0f}"
        out_mb = f"{r['output_bytes'] / 1e6:.1f}" if "output_bytes" in r else "-"
        print(f"{r['workload']:<{w}} {r['engine']:<10} {r['rows']:<10} {r['median_s']:<8.2f} "
              f"{human_rate(r['rows_per_s']):<10} {mbs:<7} "
              f"{r['peak_rss_mib']:<13.1f} {out_mb:<10} {faster(r['ratio'])}")


def print_outputs(rows):
    """Size ratio per Parquet-writing workload, and csv→parquet whole-process wall times."""
    by_key = {(r["workload"], r["engine"]): r for r in rows}
    for r in rows:
        d = by_key.get((r["workload"], "duckdb"))
        if r["engine"] != "medallion" or "output_bytes" not in r or not d or "output_bytes" not in d:
            continue
        print(f"size {r['workload']}: medallion {r['output_bytes'] / 1e6:.1f} MB, "
              f"DuckDB {d['output_bytes'] / 1e6:.1f} MB, "
              f"medallion / DuckDB = {r['output_bytes'] / d['output_bytes']:.3f}")
    for r in rows:
        d = by_key.get((r["workload"], "duckdb"))
        if (r["engine"] != "medallion"
                or not (r["workload"].startswith(("csv→parquet", INGEST)) or r.get("sql"))
                or not d or "median_wall_s" not in d):
            continue
        print(f"wall {r['workload']} (whole process, start-up included): medallion "
              f"{r['median_wall_s']:.2f} s, DuckDB {d['median_wall_s']:.2f} s, "
              f"{faster(d['median_wall_s'] / r['median_wall_s'])}")


def noise(runs):
    """One line on runs during which other processes used noticeable CPU (other_cpu_s), or None."""
    measured, noisy, worst = 0, [], None
    for r in runs:
        other = r.get("other_cpu_s")
        if other is None:
            continue
        measured += 1
        busy = r.get("wall_s", r["result"]["seconds"])
        if other > max(0.1, 0.05 * busy):
            noisy.append(other / busy if busy > 0 else 0.0)
            if worst is None or other / busy > worst[0]:
                worst = (other / busy, f"{r['workload']} {r['engine']} run {r['run']}")
    if not noisy:
        return None
    return (f"noise: other processes were busy during {len(noisy)} of {measured} runs, "
            f"{statistics.median(noisy):.2f} CPUs on median (most: {worst[0]:.2f} CPUs in "
            f"{worst[1]}); other_cpu_s in the runs has the details. Re-run on a quiet machine.")


def git_describe():
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                             text=True, check=False, timeout=5)
        return out.stdout.strip() or None
    except OSError:
        return None


def main(argv):
    if len(argv) == 5 and argv[1] == "--same":
        a, b = (json.load(open(p, encoding="utf-8")) for p in argv[3:])
        diff = same_checksum(a, b)
        if diff:
            print(f"bench/report.py: {argv[2]}: medallion and DuckDB results differ: {diff}",
                  file=sys.stderr)
            return 1
        return 0
    if len(argv) != 3:
        print("usage: report.py RUNS.jsonl RESULTS.json", file=sys.stderr)
        return 2
    runs = load(argv[1])
    if not runs:
        print("report.py: no runs recorded", file=sys.stderr)
        return 1
    rows = summarise(runs)
    print_table(rows)
    print()
    print("median of", rows[0]["runs"], "runs; seconds = read loop (medallion) / query (DuckDB);",
          "MB = 10^6 bytes of CSV; peak RSS of the whole process; ratio = DuckDB s / medallion s")
    if any(r["workload"].startswith(("csv→parquet", "parquet write")) for r in rows):
        print("csv→parquet: medallion = whole `medallion convert` process (fsync included), "
              "DuckDB = the COPY; parquet write: writer alone from memory, load untimed "
              "(RSS includes the loaded data); output MB = Parquet file size")
    if any("output_bytes" in r for r in rows):
        print_outputs(rows)
    if any(r["workload"].startswith(INGEST) for r in rows):
        print("bronze ingest: medallion = whole `medallion ingest` process (contract, quarantine, "
              "metadata columns, partitioned ZSTD Parquet, Delta commit, fsync); DuckDB = the "
              "COPY of read_csv with the contract's types, ignore_errors; output MB = bronze "
              "data files (medallion) or the Parquet file (DuckDB)")
        acceptance(rows)
    if any(r.get("sql") for r in rows):
        print("sql: medallion = whole `medallion query -f Q --parquet OUT` process; DuckDB = the "
              "COPY (Q) TO OUT alone (views untimed); output MB = the result file; rows/s = "
              "input rows (bronze.snowflake_orders) / seconds")
        sql_acceptance(rows)
    print(REFERENCE)
    line = noise(runs)
    if line:
        print(line)
    problems = check(rows)
    for p in problems:
        print("WARNING:", p)
    if not problems:
        print("check: medallion and DuckDB agree on rows, sum(quantity) and sum(unit_price)"
              + (" (SQL: rows and per-column checksums)" if any(r.get("sql") for r in rows)
                 else ""))

    result = {
        "generated_at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "machine": {"host": platform.node(), "cpus": os.cpu_count(), "kernel": platform.release()},
        "revision": git_describe(),
        "reference": REFERENCE,
        "summary": rows,
        "problems": problems,
        "runs": runs,
    }
    os.makedirs(os.path.dirname(os.path.abspath(argv[2])), exist_ok=True)
    with open(argv[2], "w", encoding="utf-8") as fh:
        json.dump(result, fh, indent=2)
        fh.write("\n")
    print(f"results: {argv[2]}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
