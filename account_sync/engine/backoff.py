"""Bounded retries with exponential backoff that defer to the server's Retry-After when it gives one.

The vendor clients decide *whether* an error is worth retrying (``classify``); this module only decides
*when* and *how many times*, so both connectors back off the same way.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import TypeVar

from .clock import Clock, SystemClock

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 60.0
    multiplier: float = 2.0
    jitter: float = 0.1  # spread retries of parallel workers by up to ±10 %

    def delay(self, attempt: int, rng: random.Random | None = None) -> float:
        """Pause after failed attempt number ``attempt`` (1-based)."""
        delay = min(self.max_delay, self.base_delay * self.multiplier ** (attempt - 1))
        if self.jitter and rng is not None:
            delay *= 1 + rng.uniform(-self.jitter, self.jitter)
        return max(delay, 0.0)


@dataclass(frozen=True)
class Retry:
    """``classify``'s answer when an error may pass: wait ``delay`` (None: use the policy's backoff)."""

    delay: float | None = None
    reason: str = ""


def parse_retry_after(value: str | None, now_epoch: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: either delta-seconds or an HTTP date.

    >>> parse_retry_after("3")
    3.0
    >>> parse_retry_after("Wed, 21 Oct 2015 07:28:05 GMT", now_epoch=1445412480.0)
    5.0
    >>> parse_retry_after("soon") is None
    True
    """
    if value is None:
        return None
    value = str(value).strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if now_epoch is None:
        return None
    return max(when.timestamp() - now_epoch, 0.0)


def run_with_retries(
    operation: Callable[[int], T],
    classify: Callable[[Exception, int], Retry | None],
    policy: RetryPolicy,
    clock: Clock | None = None,
    rng: random.Random | None = None,
) -> T:
    """Call ``operation(attempt)`` until it succeeds, ``classify`` returns None, or attempts run out.

    The last error is re-raised unchanged, so callers translate it once, outside the loop.
    """
    clock = clock or SystemClock()
    attempt = 1
    while True:
        try:
            return operation(attempt)
        except Exception as exc:
            decision = classify(exc, attempt)
            if decision is None or attempt >= policy.max_attempts:
                raise
            delay = policy.delay(attempt, rng) if decision.delay is None else decision.delay
            clock.sleep(delay)
            attempt += 1
