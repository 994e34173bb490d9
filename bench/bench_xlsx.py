#!/usr/bin/env python3
"""Benchmark of the XLSX export of targets against actuals (``tools/target_xlsx.py``).

Run with ``make bench-xlsx`` (``make bench-xlsx ARGS="--rows 20000"``). Lays out ``--rows``
targets (default 100,000: 60 % months, 30 % quarters, 10 % years, every dimension filled)
generated one by one, as the export reads them in batches, in each mode: xlsxwriter's
default in-memory mode, and its constant-memory mode, which the background exports use.
Each run is a fresh Python process (the peak resident memory of a process never goes down)
and reports the wall time, the peak resident set size (``ru_maxrss``) above the process's
size before the export, the peak of Python allocations (``tracemalloc``, in a separate run:
tracing slows the export down) and the file's size. No database is needed.
"""

import argparse
import json
import resource
import subprocess
import sys
import time
import tracemalloc
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent


def rows(count):
    """``count`` export rows, built on the fly."""
    kinds = [("month", date(2026, 3, 1), date(2026, 3, 31))] * 6 + \
            [("quarter", date(2026, 1, 1), date(2026, 3, 31))] * 3 + [("year", date(2026, 1, 1), date(2026, 12, 31))]
    statuses = ("on_track", "at_risk", "off_track", "achieved", "missed", "not_started")
    for i in range(count):
        kind, start, end = kinds[i % 10]
        target = 1000.0 + i % 977
        yield {
            "kpi": "Ordered Revenue", "date_from": start, "date_to": end, "team": f"Team {i % 40}",
            "user": f"Salesperson {i % 400}", "product_categ": f"Category {i % 30}", "product": f"Product {i % 900}",
            "region": f"Region {i % 12}", "customer_type": "Existing customers", "partner": f"Customer {i % 5000}",
            "target": target, "stretch": target * 1.2, "actual": target * (i % 13) / 10.0,
            "status": statuses[i % 6], "traffic_light": ("good", "warning", "bad")[i % 3], "period_type": kind,
        }


def child(count, constant_memory, trace):
    """One export in this process; prints its figures as JSON."""
    sys.path.insert(0, str(HERE))
    from tools import target_xlsx  # after the path is set

    if trace:
        tracemalloc.start()
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    content = target_xlsx.workbook(rows(count), period_types={"month", "quarter", "year"},
                                   constant_memory=constant_memory)
    seconds = time.perf_counter() - start
    result = {"seconds": seconds, "bytes": len(content),
              "rss_mb": (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024.0}
    if trace:
        result["traced_mb"] = tracemalloc.get_traced_memory()[1] / 1024.0 / 1024.0
    print(json.dumps(result))


def run(count, constant_memory, trace):
    args = [sys.executable, __file__, "--child", "--rows", str(count)]
    args += ["--constant-memory"] if constant_memory else []
    args += ["--trace"] if trace else []
    out = subprocess.run(args, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=100_000, help="targets exported (100,000)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--constant-memory", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.rows, args.constant_memory, args.trace)
        return
    print(f"XLSX export of {args.rows:,} targets (17 columns, 3 sheets), one process per run")
    print(f"{'mode':<16}{'time (s)':>10}{'peak RSS (MB)':>15}{'peak traced (MB)':>18}{'file (MB)':>11}")
    for label, constant_memory in (("in memory", False), ("constant memory", True)):
        plain = run(args.rows, constant_memory, trace=False)
        traced = run(args.rows, constant_memory, trace=True)
        print(f"{label:<16}{plain['seconds']:>10.1f}{plain['rss_mb']:>15.1f}{traced['traced_mb']:>18.1f}"
              f"{plain['bytes'] / 1024 / 1024:>11.1f}")


if __name__ == "__main__":
    main()
