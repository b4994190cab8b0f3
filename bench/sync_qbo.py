#!/usr/bin/env python3
"""How many invoices per minute the QBO connector can push within QuickBooks' own limits.

    python3 bench/sync_qbo.py [--invoices N] [--customers M] [--latency S[,S...]] [--mode batch|single|both]
                              [--xero-invoices N] [--xero-contacts M] [--xero-latency S]

Runs ``QboClient`` (python-quickbooks unchanged) against the fake QuickBooks server with the real limits
switched on on both sides: the fake answers 429 beyond 500 requests/min, 40 batch requests/min or 10
in flight per realm; the client paces itself to stay under them.  Time is SIMULATED: the client and the
fake share a ``FakeClock`` that advances on rate-limit waits and by ``--latency`` per HTTP round trip
(requests are sent one after another), so minutes of traffic run in seconds.  A latency of 0 measures
the ceiling QBO's limits allow; a realistic one (QBO answers in roughly 0.2-0.5 s) what one sequential
worker gets.  The fake validates every body against Intuit's XSDs, so the real elapsed time is this
machine's cost, not QBO's.

The Xero rows come from ``bench/sync_xero.py``'s own ``run`` (its paced scenarios), in the same table so
the two connectors compare line by line.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from account_sync.engine.clock import FakeClock  # noqa: E402
from tests.fakes.qbo_harness import Harness, contact, invoice  # noqa: E402
from tests.fakes.qbo_limits import QboLimits  # noqa: E402
from tests.fakes.qbo_server import FakeQbo  # noqa: E402


class LatencySession(requests.Session):
    """Every round trip costs ``latency`` seconds of simulated time (sequential requests only)."""

    def __init__(self, clock: FakeClock, latency: float):
        super().__init__()
        self.clock = clock
        self.latency = latency

    def request(self, *args, **kwargs):
        self.clock.advance(self.latency)
        return super().request(*args, **kwargs)


def run(mode: str, invoices: int, customers: int, latency: float) -> dict:
    clock = FakeClock()
    with FakeQbo(clock=clock, limits=QboLimits()) as fake:
        harness = Harness(fake, clock)
        settings = replace(harness.settings, timeout=30.0)  # production's timeout: a busy machine is not QBO
        client = harness.client(settings, http=LatencySession(clock, latency))
        contacts = [contact(n) for n in range(1, customers + 1)]
        documents = [invoice(n, contacts[n % customers], amounts=("100.00", "25.50")) for n in range(1, invoices + 1)]
        before_calls, started, sim_started = len(fake.calls()), time.perf_counter(), clock.monotonic()
        if mode == "batch":
            results = client.push_invoices(documents)
        else:
            results = [client.push_invoice(document) for document in documents]
        real = time.perf_counter() - started
        simulated = clock.monotonic() - sim_started
        calls = fake.calls()[before_calls:]
        synced = sum(result.ok for result in results)
        limiter = harness.limiters.get(harness.realm)
        return {
            "mode": mode,
            "synced": synced,
            "calls": len(calls),
            "batch_calls": sum(call.endpoint == "batch" for call in calls),
            "throttled": sum(call.status == 429 for call in calls),
            "calls_per_invoice": len(calls) / max(synced, 1),
            "simulated_minutes": simulated / 60,
            "invoices_per_minute": synced / (simulated / 60) if simulated else float("inf"),
            "limiter_wait": limiter.waited + harness.batch_limiters.get(harness.realm).waited,
            "real_seconds": real,
            "stored": len(fake.company().rows("Invoice")),
        }


def xero_rows(invoices: int, contacts: int, latency: float) -> list[dict]:
    """``bench/sync_xero.py``'s own runs (paced, at 0 and at ``latency`` s per call), as rows of this table."""
    sys.path.insert(0, str(REPO / "bench"))
    import sync_xero  # noqa: PLC0415 - a sibling script, loaded only when the Xero figures are asked for

    rows = []
    for scenario_latency in (0.0, latency):
        outcome = sync_xero.run("paced", invoices, contacts, scenario_latency, "local")
        rows.append(
            {
                "system": "Xero",
                "mode": "batch",
                "latency": scenario_latency,
                "synced": outcome.synced,
                "stored": outcome.synced,
                "expected": invoices,
                "calls": outcome.api_calls,
                "batch_calls": outcome.api_calls,
                "throttled": outcome.rejected_429,
                "calls_per_invoice": outcome.calls_per_invoice,
                "simulated_minutes": outcome.simulated_seconds / 60,
                "invoices_per_minute": outcome.invoices_per_minute,
                "ceiling": sync_xero.CEILING_PER_MINUTE,
                "real_seconds": outcome.wall_seconds,
                "violations": outcome.violations,
            }
        )
    return rows


#: what QuickBooks' limits allow one realm per minute: 40 batches of 30, or 500 single requests
QBO_CEILING = {"batch": 40 * 30, "single": 500}

COLUMNS = (  # (title, row key, alignment and width, format)
    ("system", "system", "<10", "{}"),
    ("mode", "mode", "<6", "{}"),
    ("latency", "latency", ">7", "{:.2f}"),
    ("synced", "synced", ">6", "{}"),
    ("calls", "calls", ">6", "{}"),
    ("batch", "batch_calls", ">5", "{}"),
    ("429s", "throttled", ">4", "{}"),
    ("calls/inv", "calls_per_invoice", ">9", "{:.3f}"),
    ("sim min", "simulated_minutes", ">7", "{:.2f}"),
    ("inv/min", "invoices_per_minute", ">7", "{:.0f}"),
    ("ceiling", "ceiling", ">7", "{}"),
    ("real s", "real_seconds", ">6", "{:.1f}"),
)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--invoices", type=int, default=1500)
    parser.add_argument("--customers", type=int, default=150)
    parser.add_argument("--latency", default="0,0.3", help="simulated seconds per HTTP round trip, comma-separated")
    parser.add_argument("--mode", choices=("batch", "single", "both"), default="both")
    parser.add_argument("--xero-invoices", type=int, default=3000, help="0 leaves the Xero rows out")
    parser.add_argument("--xero-contacts", type=int, default=300)
    parser.add_argument("--xero-latency", type=float, default=1.5, help="simulated seconds per Xero call")
    args = parser.parse_args(argv)
    modes = ("batch", "single") if args.mode == "both" else (args.mode,)
    latencies = [float(value) for value in args.latency.split(",")]
    print(
        f"Push bench. QuickBooks: {args.invoices} invoices for {args.customers} new customers, real limits on "
        "(500 req/min, 40 batch/min, 10 concurrent per realm). Xero (bench/sync_xero.py's paced runs): "
        f"{args.xero_invoices} invoices for {args.xero_contacts} contacts, real limits on (60/min, 5 concurrent).\n"
        "SIMULATED clock: only rate-limit waits and the modelled round trip (latency column) advance it; "
        "requests are sequential; the fakes validate every body against Intuit's XSDs / Xero's OpenAPI spec.\n"
    )
    rows = []
    for latency in latencies:
        for mode in modes:
            rows.append(
                {
                    **run(mode, args.invoices, args.customers, latency),
                    "system": "QuickBooks",
                    "latency": latency,
                    "expected": args.invoices,
                    "ceiling": QBO_CEILING[mode],
                    "violations": 0,  # FakeQbo raises on exit if a body broke the XSD
                }
            )
    if args.xero_invoices:
        rows += xero_rows(args.xero_invoices, args.xero_contacts, args.xero_latency)
    print(" ".join(f"{title:{align}}" for title, _key, align, _fmt in COLUMNS))
    for row in rows:
        print(" ".join(f"{fmt.format(row[key]):{align}}" for _title, key, align, fmt in COLUMNS))
    print(
        "\ncalls: accounting API requests (token calls excluded); batch: batch requests among them.\n"
        "inv/min: synced invoices per simulated minute, first call to last; a short run starts with a full rate\n"
        "window, so it can pass the long-run ceiling (QBO: 40 batches of 30 = 1,200/min, single requests 500/min;\n"
        "Xero: 60 calls of 50 = 3,000/min).\n"
        "With latency, one sequential worker gets at most 60/latency calls a minute."
    )
    complete = all(r["synced"] == r["stored"] == r["expected"] and not r["violations"] for r in rows)
    return 0 if complete else 1


if __name__ == "__main__":
    sys.exit(main())
