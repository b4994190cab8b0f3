"""The ORM token store under real concurrency: committed rows, two cursors, two threads.

These tests commit (through their own cursors, as production refreshes do), so they work on a company and
a connection of their own, and delete the connection afterwards.
"""

import threading
import time

from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from account_sync.engine.clock import SystemClock
from account_sync.engine.errors import ReconnectRequired
from account_sync.engine.tokens import TokenManager, TokenPair

from ..models.token_store import OrmTokenStore


class RotatingProvider:
    """An identity server that rotates refresh tokens: a spent refresh token gets invalid_grant."""

    def __init__(self, valid_refresh: str, delay: float = 0.0):
        self.valid = {valid_refresh}
        self.delay = delay
        self.calls = 0
        self.lock = threading.Lock()

    def refresh(self, pair: TokenPair) -> TokenPair:
        with self.lock:
            self.calls += 1
            if pair.refresh_token not in self.valid:
                raise ReconnectRequired("invalid_grant")
            self.valid.discard(pair.refresh_token)
            n = self.calls
            self.valid.add(f"refresh-{n}")
        time.sleep(self.delay)  # widen the window in which a second worker could race
        return TokenPair(f"access-{n}", f"refresh-{n}", time.time() + 1800)


@tagged("post_install", "-at_install")
class TestOrmTokenStore(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        with cls.registry.cursor() as cr:
            env = cls.env(cr=cr)
            company = env["res.company"].create({"name": "Token store test company"})
            connection = env["account.sync.connection"].create({"company_id": company.id})
            cls.connection_id = connection.id
        cls.addClassCleanup(cls._drop_connection)

    @classmethod
    def _drop_connection(cls):
        with cls.registry.cursor() as cr:
            cr.execute("DELETE FROM account_sync_connection WHERE id = %s", (cls.connection_id,))

    def setUp(self):
        super().setUp()
        self.store = OrmTokenStore(self.registry, self.connection_id)
        # an access token about to expire, with the one refresh token the provider still accepts
        self.store.save(self.store.key, TokenPair("access-0", "refresh-0", time.time() + 10))

    def _manager(self, provider):
        return TokenManager(OrmTokenStore(self.registry, self.connection_id), self.store.key, provider.refresh)

    def test_rotated_token_survives_rollback_of_business_transaction(self):
        provider = RotatingProvider("refresh-0")
        with self.registry.cursor() as business:
            business.execute("SELECT 1")  # the business transaction is open while the token refreshes
            pair = self._manager(provider).current()
            business.rollback()
        self.assertEqual(pair.access_token, "access-1")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT access_token, refresh_token FROM account_sync_connection WHERE id = %s", (self.connection_id,)
            )
            self.assertEqual(cr.fetchone(), ("access-1", "refresh-1"))
        self.assertEqual(self._manager(provider).current().access_token, "access-1", "no second refresh")
        self.assertEqual(provider.calls, 1)

    def test_two_workers_refreshing_at_once_keep_one_valid_pair(self):
        provider = RotatingProvider("refresh-0", delay=0.3)
        barrier = threading.Barrier(2)
        got, failures = [], []

        def worker():
            manager = self._manager(provider)
            barrier.wait()
            try:
                got.append(manager.current().access_token)
            except Exception as exc:  # noqa: BLE001 - reported by the assertion below
                failures.append(exc)

        threads = [threading.Thread(target=worker) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        self.assertEqual(failures, [])
        self.assertEqual(provider.calls, 1, "the second worker waited and re-read instead of spending the token")
        self.assertEqual(got, ["access-1", "access-1"])
        stored = self.store.get(self.store.key)
        self.assertIn(stored.refresh_token, provider.valid)
        self.assertFalse(stored.expires_within(60, SystemClock().time()))

    def test_lock_waits_for_the_holder_and_sees_its_commit(self):
        """Under REPEATABLE READ the waiter's FOR UPDATE fails to serialize; the store retries it."""
        other = OrmTokenStore(self.registry, self.connection_id)
        entered = threading.Event()
        seen = []

        def holder():
            with other.lock(other.key):
                entered.set()
                time.sleep(0.3)
                other.save(other.key, TokenPair("access-h", "refresh-h", time.time() + 1800))

        thread = threading.Thread(target=holder)
        thread.start()
        entered.wait(10)
        with self.store.lock(self.store.key):
            seen.append(self.store.get(self.store.key).access_token)
        thread.join(10)
        self.assertEqual(seen, ["access-h"])


@tagged("post_install", "-at_install")
class TestTokenFieldsAccess(TransactionCase):
    def test_tokens_readable_by_system_administrators_only(self):
        connection = self.env["account.sync.connection"]._for_company()
        connection.sudo().write({"access_token": "secret-access", "refresh_token": "secret-refresh"})
        accountant = new_test_user(self.env, "sync_accountant", groups="account.group_account_manager")
        as_accountant = connection.with_user(accountant)
        self.assertEqual(as_accountant.state, "disconnected")
        with self.assertRaises(AccessError):
            as_accountant.refresh_token  # noqa: B018 - reading is the point
        admin = new_test_user(self.env, "sync_admin", groups="base.group_system,account.group_account_manager")
        self.assertEqual(connection.with_user(admin).refresh_token, "secret-refresh")
