"""The accounting sync settings in a real browser, connected to the fake Xero (tag ``iis_browser``).

``tests/odoo_browser_tier.sh`` runs it in headless Chromium; the odoo tier leaves it out. The connection is made
through the real OAuth callback against the spec-validating fake Xero of ``tests/fakes`` (as in
``test_xero_flow``); the tour then reads the settings as a user sees them, refreshes the chart of accounts from
the browser (the server calls the fake) and maps an account. Odoo fails the tour on any console error.
"""

from unittest.mock import patch

import requests
from odoo.addons.account_sync.tests.common import AccountSyncFlowCase  # also makes tests.fakes importable
from odoo.tests import tagged

from account_sync.engine.ratelimit import Limits, RateLimiterRegistry
from account_sync_xero.engine.config import XeroEndpoints
from tests.fakes.xero_server import FakeXero, XeroLimits

from ..models import account_sync_connection as xero_connection


class FakeXeroTourCase(AccountSyncFlowCase):
    """The fake Xero started for one tour, the connection's endpoints (and ``credentials``) pointed at it."""

    def _start_fake(self, credentials):
        self.fake = FakeXero(limits=XeroLimits(per_minute=600)).start()
        self.addCleanup(self.fake.stop)
        self.startPatcher(patch.object(xero_connection, "LIMITERS", RateLimiterRegistry(Limits(600, 5000, 5))))
        endpoints = XeroEndpoints.local(self.fake.base_url)
        params = {
            "client_id": credentials and "fake-client-id",
            "client_secret": credentials and "fake-client-secret",
            **{name: getattr(endpoints, name) for name in xero_connection.ENDPOINT_NAMES},
        }
        for name, value in params.items():
            self.env["ir.config_parameter"].set_param(xero_connection.PARAM + name, value)

    def tearDown(self):
        super().tearDown()
        self.assertEqual(self.fake.violations, [], "requests or answers that Xero's spec rejects")


@tagged("post_install", "-at_install", "iis_browser")
class TestAccountSyncSettingsTour(FakeXeroTourCase):
    def setUp(self):
        super().setUp()
        self._start_fake(credentials=True)
        self.connection = self.env["account.sync.connection"]._for_company()
        self.connection.provider = "xero"
        admin = self.env.ref("base.user_admin")
        self.authenticate("admin", "admin")
        action = self.connection.with_user(admin).action_connect()
        consent = requests.get(action["url"], allow_redirects=False, timeout=10)
        self.assertEqual(consent.status_code, 302)
        self._follow_callback(
            consent.headers["Location"],
            {
                "payment_account_id": ("account", "090"),
                "labour_income_account_id": ("account", "200"),
                "materials_income_account_id": ("account", "200"),
                "sales_tax_id": ("tax", "OUTPUT2"),
            },
        )

    def test_accounting_sync_settings(self):
        refreshes = len(self.fake.calls("getAccounts"))
        self.start_tour("/odoo/settings", "account_sync_xero_settings", login="admin")
        self.assertEqual(len(self.fake.calls("getAccounts")), refreshes + 1, "refreshed once, from the browser")
        self.connection.invalidate_recordset()
        self.assertEqual(self.connection.labour_income_account_id.code, "260")
        self.assertEqual(self.connection.payment_account_id.code, "090")


@tagged("post_install", "-at_install", "iis_browser")
class TestAccountSyncConnectTour(FakeXeroTourCase):
    """The first Connect from the settings, the provider and the app's credentials still unsaved."""

    def setUp(self):
        super().setUp()
        self._start_fake(credentials=False)
        self.connection = self.env["account.sync.connection"]._for_company()
        self.assertEqual((self.connection.provider, self.connection.state), (False, "disconnected"))

    def test_first_connect_from_the_settings(self):
        self.start_tour("/odoo/settings", "account_sync_xero_connect", login="admin")
        self.env.invalidate_all()
        self.assertEqual((self.connection.provider, self.connection.state), ("xero", "connected"))
        self.assertEqual(
            self.env["ir.config_parameter"].get_param(xero_connection.PARAM + "client_id"), "fake-client-id"
        )
        self.assertEqual(len(self.fake.calls("token:authorization_code")), 1, "one code exchanged")
