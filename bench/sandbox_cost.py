#!/usr/bin/env python3
"""What reading a file in the reader process (engine/sandbox.py) costs per file, next to reading it in process.

    python3 bench/sandbox_cost.py [--runs N]

Text PDFs (generated 10-line invoices) and a 20-line CSV, each read in
process (``extract_bytes``), through the fork server the Odoo layer uses,
and through a plain fork as the CLI does; the medians and the difference
are printed, with the fork server's start-up time and memory, and the
machine's load average.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from invoice_import.engine import sandbox  # noqa: E402
from invoice_import.engine.extract import extract_bytes  # noqa: E402
from invoice_import.engine.formats import load_format  # noqa: E402
from tests.engine import hostile_files  # noqa: E402

CSV_FORMAT = {
    "name": "bench",
    "kind": "csv",
    "delimiter": ";",
    "columns": {"invoice_number": "No", "amount_total": "Total"},
    "line_columns": {"description": "Item", "quantity": "Qty", "unit_price": "Price", "amount": "Amount"},
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="timed runs per way; the median is kept")
    args = parser.parse_args()
    print(f"machine    {len(os.sched_getaffinity(0))} CPUs usable, load average {os.getloadavg()[0]:.1f} at start")
    started = time.perf_counter()
    sandbox.extract_isolated(hostile_files.invoice_pdf())
    server = sandbox._server()._process.pid
    print(
        f"fork server: first file {1000 * (time.perf_counter() - started):.0f} ms (start-up included), "
        f"resident {_rss_mb(server):.0f} MB"
    )
    csv = "No;Item;Qty;Price;Amount;Total\n" + "".join(f"R-1;Widget {i};2;10.00;20.00;400.00\n" for i in range(20))
    cases = {
        "text PDF, 10 lines": (hostile_files.invoice_pdf(lines=10), []),
        "CSV, 20 lines": (csv.encode(), [load_format(CSV_FORMAT)]),
    }
    for name, (data, formats) in cases.items():
        ways = {
            "in process": lambda data=data, formats=formats: extract_bytes(data, formats=formats),
            "fork server": lambda data=data, formats=formats: sandbox.extract_isolated(data, formats=formats),
            "plain fork": lambda data=data, formats=formats: sandbox.extract_isolated(data, formats=formats, fork=True),
        }
        medians = {}
        for way, call in ways.items():
            call()
            timings = []
            for _ in range(args.runs):
                begin = time.perf_counter()
                call()
                timings.append(time.perf_counter() - begin)
            medians[way] = statistics.median(timings) * 1000
        base = medians["in process"]
        print(
            f"{name:18} in process {base:6.1f} ms   fork server {medians['fork server']:6.1f} ms "
            f"(+{medians['fork server'] - base:.1f})   plain fork {medians['plain fork']:6.1f} ms "
            f"(+{medians['plain fork'] - base:.1f})"
        )
    print(f"load average {os.getloadavg()[0]:.1f} at the end")
    return 0


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


if __name__ == "__main__":
    sys.exit(main())
