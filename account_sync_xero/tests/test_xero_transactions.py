"""The OAuth callback's and the scheduled sync's transactions under real PostgreSQL concurrency.

These tests commit through cursors of their own (as a web request, the token store and the cron do), so
they work on companies and connections of their own and delete the connections and parameters afterwards.
The fake Xero of ``tests/fakes`` answers in this process.
"""

import secrets
import threading
from unittest.mock import patch

import requests
from odoo import SUPERUSER_ID, api
from odoo.addons.account_sync.tests.common import REPO_ROOT  # noqa: F401 - makes tests.fakes importable
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from account_sync.engine.ratelimit import Limits, RateLimiterRegistry
from account_sync_xero.engine.config import XeroEndpoints
from tests.fakes.xero_server import FakeXero, XeroLimits

from ..models import account_sync_connection as xero_connection


@tagged("post_install", "-at_install")
class TestXeroTransactions(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeXero(limits=XeroLimits(per_minute=600)).start()
        cls.addClassCleanup(cls.fake.stop)
        cls.startClassPatcher(patch.object(xero_connection, "LIMITERS", RateLimiterRegistry(Limits(600, 5000, 5))))
        endpoints = XeroEndpoints.local(cls.fake.base_url)
        cls.params = {
            xero_connection.PARAM + name: value
            for name, value in {
                "client_id": "fake-client-id",
                "client_secret": "fake-client-secret",
                "retry_base_delay": "0.1",
                "max_attempts": "2",
                **{name: getattr(endpoints, name) for name in xero_connection.ENDPOINT_NAMES},
            }.items()
        }
        with cls.registry.cursor() as cr:
            env = api.Environment(cr, SUPERUSER_ID, {})
            for name, value in cls.params.items():
                env["ir.config_parameter"].set_param(name, value)
            cls.connection_ids = []
            run = secrets.token_hex(4)  # committed: a kept database may hold the companies of an earlier run
            for n in (1, 2):
                company = env["res.company"].create({"name": f"Concurrency test company {n} ({run})"})
                connection = env["account.sync.connection"].create({"company_id": company.id, "provider": "xero"})
                cls.connection_ids.append(connection.id)
        cls.addClassCleanup(cls._drop)

    @classmethod
    def _drop(cls):
        with cls.registry.cursor() as cr:
            cr.execute("DELETE FROM account_sync_connection WHERE id = ANY(%s)", (cls.connection_ids,))
            cr.execute("DELETE FROM ir_config_parameter WHERE key = ANY(%s)", (list(cls.params),))

    def _consent(self, connection):
        """The user at Xero: the authorisation URL answered with a code (as the browser would carry it)."""
        url = connection._xero_client().authorization_url(connection._oauth_state())
        answer = requests.get(url, allow_redirects=False, timeout=10)
        self.assertEqual(answer.status_code, 302)
        return requests.utils.urlparse(answer.headers["Location"]).query.split("code=")[1].split("&")[0]

    def _connect(self, connection_id, nonce):
        """The callback's work in a request cursor that read the connection row first, then committed."""
        with self.registry.cursor() as cr:
            connection = api.Environment(cr, SUPERUSER_ID, {})["account.sync.connection"].browse(connection_id)
            self.assertTrue(connection.provider)  # the request read the row: its snapshot is older than the grant
            code = self._consent(connection)
            outcome = connection._oauth_finish(nonce, code, None, lambda c, store: c._xero_finish_connect(code, store))
            cr.commit()  # the request ends: nothing of it may conflict with what the token store committed
        return outcome, code

    def _row(self, connection_id):
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT state, refresh_token, last_sync_at FROM account_sync_connection WHERE id = %s",
                (connection_id,),
            )
            return cr.fetchone()

    def test_callback_commits_tokens_and_grant_together_and_a_retry_exchanges_nothing(self):
        exchanges = self.fake.identity.counts["authorization_code"]
        (outcome, _message), code = self._connect(self.connection_ids[0], "nonce-callback-1")
        self.assertEqual(outcome, "connected")
        state, refresh, _synced = self._row(self.connection_ids[0])
        self.assertEqual(state, "connected")
        self.assertTrue(refresh)
        # Odoo replays a request that met a serialization failure: the same answer finds the grant stored
        with self.registry.cursor() as cr:
            connection = api.Environment(cr, SUPERUSER_ID, {})["account.sync.connection"].browse(self.connection_ids[0])
            again = connection._oauth_finish(
                "nonce-callback-1", code, None, lambda c, store: c._xero_finish_connect(code, store)
            )
        self.assertEqual(again[0], "repeat")
        self.assertEqual(self.fake.identity.counts["authorization_code"], exchanges + 1, "the code exchanged once")
        self.assertEqual(self._row(self.connection_ids[0])[1], refresh, "the token pair kept")

    def test_cron_rolls_back_a_serialization_failure_and_syncs_the_other_connections(self):
        for n, connection_id in enumerate(self.connection_ids):
            self.assertEqual(self._connect(connection_id, f"nonce-cron-{n}")[0][0], "connected")
        with self.registry.cursor() as cron_cr, self.registry.cursor() as other_cr:
            cron_env = api.Environment(cron_cr, SUPERUSER_ID, {})
            cron_cr.execute("SELECT 1")  # the cron's transaction (REPEATABLE READ) has its snapshot
            # meanwhile another worker changes the first connection and commits
            other_cr.execute(
                "UPDATE account_sync_connection SET last_error = 'other worker' WHERE id = %s",
                (self.connection_ids[0],),
            )
            other_cr.commit()
            with (
                patch.object(threading.current_thread(), "testing", False),  # commit and roll back for real
                mute_logger("odoo.sql_db"),  # the refused UPDATE is logged as a bad query
            ):
                cron_env["account.sync.connection"]._cron_sync()
        first, second = (self._row(i) for i in self.connection_ids)
        self.assertFalse(first[2], "the run that met the other worker was rolled back")
        self.assertTrue(second[2], "the next connection was synced after the failure")
        with self.registry.cursor() as cr:
            cr.execute(
                "SELECT level, message FROM account_sync_log WHERE connection_id = %s AND operation = 'sync'",
                (self.connection_ids[0],),
            )
            logged = cr.fetchall()
        self.assertIn("retry", [level for level, _message in logged], logged)
