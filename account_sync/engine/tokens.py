"""OAuth2 token pairs and the one place that refreshes them, under a lock.

Xero and QBO rotate refresh tokens: when two workers refresh with the same refresh token, the second
gets ``invalid_grant`` and the connection is lost.  ``TokenManager`` therefore refreshes only while
holding the store's lock and re-reads the store first, so a worker that waited finds the new pair.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from .clock import Clock, SystemClock
from .errors import ReconnectRequired


@dataclass(frozen=True)
class TokenPair:
    access_token: str
    refresh_token: str
    expires_at: float  # seconds since the epoch
    scope: tuple[str, ...] = ()
    token_type: str = "Bearer"
    id_token: str | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)  # vendor extras (QBO's refresh expiry, realm)

    def expires_within(self, seconds: float, now: float) -> bool:
        return self.expires_at - now <= seconds

    @classmethod
    def from_token_response(cls, data: Mapping[str, Any], now: float) -> TokenPair:
        """Build from an RFC 6749 token endpoint answer (``expires_in`` relative to ``now``)."""
        scope = data.get("scope") or ()
        if isinstance(scope, str):
            scope = scope.split()
        known = {"access_token", "refresh_token", "expires_in", "expires_at", "scope", "token_type", "id_token"}
        expires_at = data.get("expires_at") or now + float(data.get("expires_in") or 0)
        return cls(
            access_token=data["access_token"],
            refresh_token=data.get("refresh_token") or "",
            expires_at=float(expires_at),
            scope=tuple(scope),
            token_type=data.get("token_type") or "Bearer",
            id_token=data.get("id_token"),
            extra={k: v for k, v in data.items() if k not in known},
        )


class TokenStore(Protocol):
    """Where a connection's tokens live; the Odoo layer backs it with a row lock in its own cursor.

    ``lock`` must exclude other threads *and* other processes; ``get`` inside the lock must see what
    another holder saved before releasing it (hence a separate, committed cursor in Odoo).
    """

    def get(self, key: str) -> TokenPair | None: ...

    def save(self, key: str, pair: TokenPair) -> None: ...

    def lock(self, key: str) -> AbstractContextManager[None]: ...


class InMemoryTokenStore:
    """A process-local store for tests, the bench and scripts."""

    def __init__(self, initial: Mapping[str, TokenPair] | None = None):
        self._pairs: dict[str, TokenPair] = dict(initial or {})
        self._locks: dict[str, threading.Lock] = defaultdict(threading.Lock)
        self._guard = threading.Lock()
        self.saves = 0

    def get(self, key: str) -> TokenPair | None:
        return self._pairs.get(key)

    def save(self, key: str, pair: TokenPair) -> None:
        self._pairs[key] = pair
        self.saves += 1

    @contextmanager
    def lock(self, key: str) -> Iterator[None]:
        with self._guard:
            lock = self._locks[key]
        with lock:
            yield


Refresher = Callable[[TokenPair], TokenPair]


class TokenManager:
    """Hands out a valid access token, refreshing at most once per expiry across threads and processes.

    ``margin`` is how early to refresh; keep it above the SDK's own buffer (60 s for xero-python) so the
    SDK never decides to refresh behind our back.
    """

    def __init__(self, store: TokenStore, key: str, refresh: Refresher, clock: Clock | None = None, margin=120.0):
        self.store = store
        self.key = key
        self.refresh = refresh
        self.clock = clock or SystemClock()
        self.margin = margin
        self.refreshes = 0

    def _stored(self) -> TokenPair:
        pair = self.store.get(self.key)
        if pair is None:
            raise ReconnectRequired(f"no token stored for {self.key!r}: connect the account first")
        return pair

    def current(self) -> TokenPair:
        pair = self._stored()
        if not pair.expires_within(self.margin, self.clock.time()):
            return pair
        with self.store.lock(self.key):
            pair = self._stored()  # another worker may have refreshed while we waited
            if pair.expires_within(self.margin, self.clock.time()):
                pair = self._refresh(pair)
            return pair

    def force_refresh(self, rejected_access_token: str) -> TokenPair:
        """After a 401: refresh unless someone already replaced the token the server rejected."""
        with self.store.lock(self.key):
            pair = self._stored()
            if pair.access_token == rejected_access_token:
                pair = self._refresh(pair)
            return pair

    def _refresh(self, pair: TokenPair) -> TokenPair:
        if not pair.refresh_token:
            raise ReconnectRequired(f"token for {self.key!r} has no refresh token: reconnect needed")
        new = self.refresh(pair)
        self.store.save(self.key, new)
        self.refreshes += 1
        return new
