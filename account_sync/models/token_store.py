"""The engine's ``TokenStore`` over the ORM's table, in cursors of its own.

Why its own cursors: a refreshed token pair is already spent at the provider (the old refresh token is
rotated away), so it must be committed even when the business transaction that triggered the refresh
rolls back.  Why ``SELECT ... FOR UPDATE``: two workers refreshing at once would each spend the same
refresh token; the row lock makes the second one wait and then re-read the pair the first one saved.
Odoo's cursors run in REPEATABLE READ, so the waiter's lock attempt fails with a serialization error
once the holder commits an update: it starts a fresh transaction (which sees the new pair) and retries.
"""

import logging
import random
import threading
import time
from contextlib import contextmanager

from psycopg2 import errors as pg_errors

from account_sync.engine.tokens import TokenPair

_logger = logging.getLogger(__name__)

TABLE = "account_sync_connection"
RETRYABLE = (pg_errors.SerializationFailure, pg_errors.LockNotAvailable, pg_errors.DeadlockDetected)


class OrmTokenStore:
    """Tokens of one ``account.sync.connection`` row; ``key`` is accepted for the protocol and checked."""

    max_attempts = 8

    def __init__(self, registry, connection_id: int):
        self.registry = registry
        self.connection_id = connection_id
        self.key = key_for(connection_id)
        self._local = threading.local()

    # --- protocol -----------------------------------------------------------------------------------------

    def get(self, key: str) -> TokenPair | None:
        self._check(key)
        held = getattr(self._local, "cr", None)
        if held is not None:
            return self._read(held)
        with self.registry.cursor() as cr:
            return self._read(cr)

    def save(self, key: str, pair: TokenPair) -> None:
        self._check(key)
        held = getattr(self._local, "cr", None)
        if held is not None:
            self._write(held, pair)  # committed when the lock is released
            return
        with self.lock(key):
            self._write(self._local.cr, pair)

    @contextmanager
    def lock(self, key: str):
        self._check(key)
        if getattr(self._local, "cr", None) is not None:  # re-entrant within one thread
            yield
            return
        cr = self._locked_cursor()
        self._local.cr = cr
        try:
            yield
            cr.commit()
        except BaseException:
            cr.rollback()
            raise
        finally:
            self._local.cr = None
            cr.close()

    @contextmanager
    def transaction(self):
        """The locked cursor itself, for work that must commit with the tokens or not at all.

        The OAuth callback saves the first token pair, the grant (organisation, state) and the used
        ``state`` here: one transaction holding the row lock, so no other transaction (the HTTP request's
        own) writes the row after the tokens were committed, and a retried request finds all of it.
        """
        with self.lock(self.key):
            yield self._local.cr

    # --- internals ----------------------------------------------------------------------------------------

    def _check(self, key: str) -> None:
        if key != self.key:
            raise ValueError(f"this token store holds {self.key!r}, not {key!r}")

    def _locked_cursor(self):
        for attempt in range(1, self.max_attempts + 1):
            cr = self.registry.cursor()
            try:
                cr.execute(
                    f"SELECT id FROM {TABLE} WHERE id = %s FOR UPDATE", (self.connection_id,), log_exceptions=False
                )
                if not cr.fetchone():
                    raise LookupError(f"no account.sync.connection {self.connection_id}")
                return cr
            except RETRYABLE as exc:
                cr.rollback()
                cr.close()
                if attempt == self.max_attempts:
                    raise
                _logger.info("token row of connection %s busy (%s), retrying", self.connection_id, exc.pgcode)
                time.sleep(random.uniform(0.01, 0.05) * attempt)
            except BaseException:
                cr.close()
                raise
        raise AssertionError("unreachable")

    def _read(self, cr) -> TokenPair | None:
        cr.execute(
            f"SELECT access_token, refresh_token, token_expires_at, token_scope FROM {TABLE} WHERE id = %s",
            (self.connection_id,),
        )
        row = cr.fetchone()
        if not row or not row[0]:
            return None
        access, refresh, expires_at, scope = row
        return TokenPair(access, refresh or "", float(expires_at or 0), tuple((scope or "").split()))

    def _write(self, cr, pair: TokenPair) -> None:
        cr.execute(
            f"UPDATE {TABLE} SET access_token = %s, refresh_token = %s, token_expires_at = %s, token_scope = %s,"
            " write_date = (now() at time zone 'UTC') WHERE id = %s",
            (pair.access_token, pair.refresh_token, pair.expires_at, " ".join(pair.scope), self.connection_id),
        )


def key_for(connection_id: int) -> str:
    return f"account.sync.connection,{connection_id}"
