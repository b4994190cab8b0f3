"""Client-side pacing so a tenant's quota is spent evenly instead of being discovered through 429s.

Vendors count calls per tenant per minute and per day and cap concurrent calls; the remote side is the
authority, so the limiter also listens to what the server reports (remaining calls, Retry-After) and
slows down accordingly.  One limiter per tenant per process: share it through ``RateLimiterRegistry``.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from .clock import Clock, SystemClock
from .errors import DailyLimitReached

MINUTE = 60.0
DAY = 86_400.0


@dataclass(frozen=True)
class Limits:
    per_minute: int
    per_day: int
    max_concurrent: int


class RateLimiter:
    """Sliding windows (minute, day) plus a concurrency cap, all driven by an injectable clock.

    ``acquire`` blocks (through ``clock.sleep``) until a call fits in both windows; it raises
    ``DailyLimitReached`` rather than sleeping for hours, because a cron job should give up and resume.
    """

    #: When the server says the day is spent without telling when it frees up, stop for this long.
    DAY_EXHAUSTED_PAUSE = 3600.0

    def __init__(self, limits: Limits, clock: Clock | None = None):
        self.limits = limits
        self.clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._slots = threading.BoundedSemaphore(limits.max_concurrent)
        self._minute: deque[float] = deque()
        self._day: deque[float] = deque()
        self._blocked_until = 0.0
        self._day_blocked_until = 0.0
        self.waited = 0.0
        self.calls = 0

    @contextmanager
    def slot(self) -> Iterator[None]:
        self.acquire()
        try:
            yield
        finally:
            self.release()

    def acquire(self) -> None:
        self._slots.acquire()
        try:
            self._wait_for_window()
        except BaseException:
            self._slots.release()
            raise

    def release(self) -> None:
        self._slots.release()

    def _wait_for_window(self) -> None:
        while True:
            with self._lock:
                now = self.clock.monotonic()
                self._forget_before(now)
                if now < self._day_blocked_until:
                    raise DailyLimitReached("daily call limit reached", retry_after=self._day_blocked_until - now)
                if len(self._day) >= self.limits.per_day:
                    wait = self._day[0] + DAY - now
                    raise DailyLimitReached(f"{self.limits.per_day} calls in 24 h reached", retry_after=wait)
                wait = self._blocked_until - now
                if len(self._minute) >= self.limits.per_minute:
                    wait = max(wait, self._minute[0] + MINUTE - now)
                if wait <= 0:
                    self._minute.append(now)
                    self._day.append(now)
                    self.calls += 1
                    return
            self.waited += wait
            self.clock.sleep(wait)

    def _forget_before(self, now: float) -> None:
        while self._minute and self._minute[0] <= now - MINUTE:
            self._minute.popleft()
        while self._day and self._day[0] <= now - DAY:
            self._day.popleft()

    def pause(self, seconds: float) -> None:
        """Hold every caller for ``seconds`` (a Retry-After from the server applies to the whole tenant)."""
        with self._lock:
            self._blocked_until = max(self._blocked_until, self.clock.monotonic() + max(seconds, 0.0))

    def pause_day(self, seconds: float | None) -> None:
        with self._lock:
            pause = self.DAY_EXHAUSTED_PAUSE if seconds is None else max(seconds, 0.0)
            self._day_blocked_until = max(self._day_blocked_until, self.clock.monotonic() + pause)

    def observe(self, minute_remaining: int | None = None, day_remaining: int | None = None) -> None:
        """Align with the server's own counters (other processes may share the tenant's quota)."""
        if day_remaining is not None and day_remaining <= 0:
            self.pause_day(None)
        if minute_remaining is not None and minute_remaining <= 0:
            with self._lock:
                now = self.clock.monotonic()
                oldest = self._minute[0] if self._minute else now
                self._blocked_until = max(self._blocked_until, oldest + MINUTE)


class RateLimiterRegistry:
    """One limiter per key (tenant / realm) for the whole process, so parallel jobs share the quota."""

    def __init__(self, limits: Limits, clock: Clock | None = None):
        self.limits = limits
        self.clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._limiters: dict[str, RateLimiter] = {}

    def get(self, key: str) -> RateLimiter:
        with self._lock:
            if key not in self._limiters:
                self._limiters[key] = RateLimiter(self.limits, self.clock)
            return self._limiters[key]
