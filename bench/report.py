#!/usr/bin/env python3
"""bench/report.py - turns bench/run.sh's per-run records into the benchmark table.

    python3 bench/report.py bench/out/runs.jsonl bench/out/results.json

Reads one JSON record per measured process, takes medians per (workload, engine), prints an
aligned table and writes the summary (plus every run) as JSON. Also checks that medallion
and DuckDB saw the same data: same row count, no rejects, same sum(quantity) and
sum(unit_price). Standard library only.
"""
import datetime
import json
import os
import platform
import statistics
import subprocess
import sys

# DuckDB 1.5.6, one thread, this machine class (shared/reference/peer-baselines.md §5.2).
REFERENCE = "DuckDB reference (peer-baselines §5.2, 10M rows, 1 thread): parse+cast 4.2 s, 2.38 M rows/s, 290 MB/s"


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
        nbytes = rs[0]["bytes"]
        rows.append({
            "workload": workload,
            "engine": engine,
            "file": rs[0]["file"],
            "rows": n,
            "bytes": nbytes,
            "runs": len(rs),
            "median_s": med,
            "min_s": min(secs),
            "max_s": max(secs),
            "rows_per_s": n / med if med > 0 else None,
            "mb_per_s": nbytes / 1e6 / med if med > 0 else None,
            "peak_rss_mib": statistics.median(rss) / 1024.0,
            "rejected": max(r["result"].get("rejected", 0) for r in rs),
            "sum_quantity": rs[0]["result"].get("sum_quantity",
                                                 rs[0]["result"].get("checksum", {}).get("sum_quantity")),
            "sum_unit_price": rs[0]["result"].get("sum_unit_price",
                                                   rs[0]["result"].get("checksum", {}).get("sum_unit_price")),
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
        if m and m["rejected"]:
            problems.append(f"{workload}: medallion rejected {m['rejected']} rows")
        if not (m and d):
            continue
        for key in ("rows", "sum_quantity", "sum_unit_price"):
            if str(m[key]) != str(d[key]):
                problems.append(f"{workload}: {key} differs: medallion {m[key]}, duckdb {d[key]}")
    return problems


def print_table(rows):
    header = (f"{'workload':<20} {'engine':<10} {'rows':<10} {'seconds':<8} {'rows/s':<10} "
              f"{'MB/s':<7} {'peak RSS MiB':<13} ratio")
    print(header)
    for r in rows:
        if r["ratio"] is None:
            ratio = "-"
        elif r["ratio"] >= 1:
            ratio = f"{r['ratio']:.2f}x faster"
        else:
            ratio = f"{1 / r['ratio']:.2f}x slower"
        print(f"{r['workload']:<20} {r['engine']:<10} {r['rows']:<10} {r['median_s']:<8.2f} "
              f"{human_rate(r['rows_per_s']):<10} {r['mb_per_s']:<7.0f} "
              f"{r['peak_rss_mib']:<13.1f} {ratio}")


def git_describe():
    try:
        out = subprocess.run(["git", "describe", "--always", "--dirty"], capture_output=True,
                             text=True, check=False, timeout=5)
        return out.stdout.strip() or None
    except OSError:
        return None


def main(argv):
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
    print(REFERENCE)
    problems = check(rows)
    for p in problems:
        print("WARNING:", p)
    if not problems:
        print("check: medallion and DuckDB agree on rows, sum(quantity) and sum(unit_price)")

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
