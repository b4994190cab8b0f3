"""Time as a dependency, so limits and backoff can be tested (and benchmarked) without waiting.

Everything that sleeps or compares timestamps in the sync engine receives a ``Clock``; production uses
``SystemClock``, tests and the bench use ``FakeClock`` whose ``sleep`` advances time instantly.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol


class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (for windows and deadlines)."""

    def time(self) -> float:
        """Seconds since the epoch (for token expiry and remote timestamps)."""

    def sleep(self, seconds: float) -> None:
        """Wait; a fake clock just moves on."""


class SystemClock:
    def monotonic(self) -> float:
        return time.monotonic()

    def time(self) -> float:
        return time.time()

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)


class FakeClock:
    """Simulated time: ``sleep`` advances it at once; thread-safe so a fake server can share it.

    The epoch reading starts at the real time by default, so tokens the SDK checks against ``time.time()``
    are not seen as expired when the simulation is only minutes ahead.
    """

    def __init__(self, start: float | None = None):
        self._lock = threading.Lock()
        self._epoch = time.time() if start is None else start
        self._mono = 0.0
        self.slept = 0.0

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def time(self) -> float:
        with self._lock:
            return self._epoch + self._mono

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.advance(seconds)
            with self._lock:
                self.slept += seconds

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._mono += seconds
