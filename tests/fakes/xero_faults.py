"""Failures a test asks the fake Xero to produce, one request at a time.

A test arms a fault for the next N requests that match an operation (or any), the fake consumes it
when such a request arrives.  Waiting faults (slow answers) call an injectable sleep, so tests can use
short real delays and the bench can use a simulated clock.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

SLOW = "slow"  # answer normally, but only after `delay` seconds (beyond the client's timeout)
RATE_LIMIT = "429"  # 429 with Retry-After and X-Rate-Limit-Problem
SERVER_ERROR = "500"
TOKEN_EXPIRED = "401"  # the access token is refused as expired, whatever its real age
INVALID_GRANT = "invalid_grant"  # /connect/token refuses the refresh token (rotated, revoked)
ITEM_ERROR = "item_error"  # some items of a batch fail with a validation error


@dataclass
class Fault:
    kind: str
    operation: str | None = None  # e.g. "createInvoices", "token"; None matches any request
    times: int = 1
    params: dict[str, Any] = field(default_factory=dict)


class FaultPlan:
    def __init__(self):
        self._lock = threading.Lock()
        self._faults: list[Fault] = []
        self.fired: list[tuple[str, str]] = []  # (kind, operation) in the order they fired

    def add(self, kind: str, operation: str | None = None, times: int = 1, **params: Any) -> Fault:
        fault = Fault(kind, operation, times, params)
        with self._lock:
            self._faults.append(fault)
        return fault

    def take(self, operation: str, kinds: tuple[str, ...]) -> Fault | None:
        """The first armed fault of one of ``kinds`` matching ``operation``, consuming one use of it."""
        with self._lock:
            for fault in self._faults:
                if fault.kind in kinds and fault.operation in (None, operation) and fault.times > 0:
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                    self.fired.append((fault.kind, operation))
                    return fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
