#!/usr/bin/env python3
"""How many invoices per minute the QBO connector can push within QuickBooks' own limits.

    python3 bench/sync_qbo.py [--invoices N] [--customers M] [--latency S[,S...]] [--mode batch|single|both]

Runs ``QboClient`` (python-quickbooks unchanged) against the fake QuickBooks server with the real limits
switched on on both sides: the fake answers 429 beyond 500 requests/min, 40 batch requests/min or 10
in flight per realm; the client paces itself to stay under them.  Time is SIMULATED: the client and the
fake share a ``FakeClock`` that advances on rate-limit waits and by ``--latency`` per HTTP round trip
(requests are sent one after another), so minutes of traffic run in seconds.  A latency of 0 measures
the ceiling QBO's limits allow; a realistic one (QBO answers in roughly 0.2-0.5 s) what one sequential
worker gets.  The fake validates every body against Intuit's XSDs, so the real elapsed time is this
machine's cost, not QBO's.
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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--invoices", type=int, default=1500)
    parser.add_argument("--customers", type=int, default=150)
    parser.add_argument("--latency", default="0,0.3", help="simulated seconds per HTTP round trip, comma-separated")
    parser.add_argument("--mode", choices=("batch", "single", "both"), default="both")
    args = parser.parse_args(argv)
    modes = ("batch", "single") if args.mode == "both" else (args.mode,)
    latencies = [float(value) for value in args.latency.split(",")]
    print(
        f"QBO push bench: {args.invoices} invoices for {args.customers} new customers, real QBO limits on "
        f"(500 req/min, 40 batch/min, 10 concurrent per realm).\n"
        "SIMULATED clock: only rate-limit waits and the modelled round trip (latency column) advance it; "
        "requests are sequential; the fake validates every body against Intuit's XSDs.\n"
    )
    header = f"{'mode':<7} {'latency':>7} {'synced':>6} {'calls':>6} {'batch':>5} {'429s':>4} {'calls/inv':>9} "
    header += f"{'sim min':>8} {'inv/min':>8} {'limiter wait s':>14} {'real s':>7}"
    print(header)
    for latency in latencies:
        for mode in modes:
            print_row(run(mode, args.invoices, args.customers, latency), latency, args.invoices)
    return 0


def print_row(r: dict, latency: float, expected: int) -> None:
    assert r["stored"] == r["synced"] == expected, r
    print(
        f"{r['mode']:<7} {latency:>7.2f} {r['synced']:>6} {r['calls']:>6} {r['batch_calls']:>5} {r['throttled']:>4} "
        f"{r['calls_per_invoice']:>9.3f} {r['simulated_minutes']:>8.2f} {r['invoices_per_minute']:>8.0f} "
        f"{r['limiter_wait']:>14.1f} {r['real_seconds']:>7.1f}"
    )


if __name__ == "__main__":
    sys.exit(main())
