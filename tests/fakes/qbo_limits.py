"""QBO's per-realm throttles, enforced by the fake when a test or the bench switches them on.

500 requests per minute per realm (batch requests included), 40 batch requests per minute per realm and
10 requests in flight per realm; beyond any of them QBO answers 429 ThrottleExceeded.  Windows slide on
the injected clock so the bench can run minutes of simulated traffic in seconds.
"""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from dataclasses import dataclass

WINDOW = 60.0


@dataclass(frozen=True)
class QboLimits:
    per_minute: int = 500
    batch_per_minute: int = 40
    concurrent: int = 10


class RealmThrottle:
    def __init__(self, clock, limits: QboLimits | None = None):
        self.clock = clock
        self.limits = limits or QboLimits()
        self._lock = threading.Lock()
        self._calls: dict[str, deque[float]] = defaultdict(deque)
        self._batches: dict[str, deque[float]] = defaultdict(deque)
        self._in_flight: dict[str, int] = defaultdict(int)
        self.refused = 0
        self.peak_in_flight = 0

    def enter(self, realm: str, batch: bool) -> str | None:
        """Admit a request (None) or say which limit it breaks; admitted requests must ``leave``."""
        with self._lock:
            now = self.clock.time()
            calls, batches = self._calls[realm], self._batches[realm]
            for window in (calls, batches):
                while window and window[0] <= now - WINDOW:
                    window.popleft()
            problem = None
            if self._in_flight[realm] >= self.limits.concurrent:
                problem = f"more than {self.limits.concurrent} concurrent requests"
            elif len(calls) >= self.limits.per_minute:
                problem = f"more than {self.limits.per_minute} requests per minute"
            elif batch and len(batches) >= self.limits.batch_per_minute:
                problem = f"more than {self.limits.batch_per_minute} batch requests per minute"
            if problem:
                self.refused += 1
                return problem
            calls.append(now)
            if batch:
                batches.append(now)
            self._in_flight[realm] += 1
            self.peak_in_flight = max(self.peak_in_flight, self._in_flight[realm])
            return None

    def leave(self, realm: str) -> None:
        with self._lock:
            self._in_flight[realm] -= 1
