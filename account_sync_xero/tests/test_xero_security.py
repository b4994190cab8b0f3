"""Who may press the connection's buttons, and the OAuth callback answered once, through the real route.

Real users of each accounting group and of another company press every button of a connected Xero
connection; the callback is opened with ``url_open`` as the browser does, against the fake Xero of
``tests/fakes`` (its identity server refuses a code exchanged twice with ``invalid_grant``).
"""

from unittest.mock import patch
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

import requests
from odoo import Command
from odoo.addons.account_sync.tests.common import AccountSyncFlowCase  # also makes tests.fakes importable
from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from account_sync.engine.ratelimit import Limits, RateLimiterRegistry
from account_sync_xero.engine.config import XeroEndpoints
from tests.fakes.xero_server import FakeXero, XeroLimits

from ..models import account_sync_connection as xero_connection

BUTTONS = (
    "action_connect",
    "action_reconnect",
    "action_disconnect",
    "action_sync_now",
    "action_refresh_chart",
    "action_import_customers",
    "action_export_customers",
    "action_accept_import",
    "action_decline_import",
    "action_open_import_wizard",
)


def with_query(url, **changes):
    """``url`` with some query parameters replaced (or added)."""
    parts = urlsplit(url)
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    query.update(changes)
    return urlunsplit(parts._replace(query=urlencode(query)))


@tagged("post_install", "-at_install")
class TestXeroSecurity(AccountSyncFlowCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.fake = FakeXero(limits=XeroLimits(per_minute=600)).start()
        cls.addClassCleanup(cls.fake.stop)
        cls.startClassPatcher(patch.object(xero_connection, "LIMITERS", RateLimiterRegistry(Limits(600, 5000, 5))))
        endpoints = XeroEndpoints.local(cls.fake.base_url)
        params = {
            "client_id": "fake-client-id",
            "client_secret": "fake-client-secret",
            "retry_base_delay": "0.1",
            "max_attempts": "3",
            **{name: getattr(endpoints, name) for name in xero_connection.ENDPOINT_NAMES},
        }
        for name, value in params.items():
            cls.env["ir.config_parameter"].set_param(xero_connection.PARAM + name, value)
        cls.connection = cls.env["account.sync.connection"]._for_company()
        cls.connection.provider = "xero"
        cls.admin = cls.env.ref("base.user_admin")
        cls.partner = cls.env["res.partner"].create({"name": "Harbour Plumbing Ltd", "email": "ap@harbour.example"})
        cls.users = {
            "billing": new_test_user(cls.env, "sec_billing", groups="account.group_account_invoice"),
            "read-only": new_test_user(cls.env, "sec_readonly", groups="account.group_account_readonly"),
            "accountant": new_test_user(cls.env, "sec_accountant", groups="account.group_account_user"),
        }
        cls.manager = new_test_user(cls.env, "sec_manager", groups="account.group_account_manager")
        other = cls.env["res.company"].create({"name": "Other Company Ltd"})
        cls.users["another company's administrator"] = new_test_user(
            cls.env,
            "sec_other_admin",
            groups="account.group_account_manager",
            company_id=other.id,
            company_ids=[Command.set(other.ids)],
        )

    def setUp(self):
        super().setUp()
        ledger = self.fake.ledger(0)
        self.addCleanup(ledger.restore, ledger.snapshot())
        self.addCleanup(setattr, self.fake, "idempotency", dict(self.fake.idempotency))

    def _callback(self):
        """Click Connect as the administrator and give consent at the fake Xero: the callback URL."""
        self.authenticate("admin", "admin")
        action = self.connection.with_user(self.admin).action_connect()
        answer = requests.get(action["url"], allow_redirects=False, timeout=10)
        self.assertEqual(answer.status_code, 302)
        return answer.headers["Location"]

    def _redirected(self, response):
        """The callback ended on the connection's form (Odoo redirects with 303)."""
        self.assertIn(response.status_code, (302, 303), response.text[:300])
        self.assertIn("/odoo/account.sync.connection/", response.headers["Location"])

    def _tokens(self):
        self.env.invalidate_all()
        return self.connection.sudo().read(["access_token", "refresh_token"])[0]

    # --- rights -------------------------------------------------------------------------------------------

    def test_only_accounting_administrators_press_the_buttons(self):
        callback = self._callback()
        self._redirected(self.url_open(callback, allow_redirects=False))
        self.env.invalidate_all()
        self.assertEqual(self.connection.state, "connected")
        tokens, calls = self._tokens(), len(self.fake.calls())
        for who, user in self.users.items():
            for button in BUTTONS:
                with self.subTest(who=who, button=button), self.assertRaises(AccessError):
                    getattr(self.connection.with_user(user), button)()
            # the settings page and the Contacts menu find the connection as superuser: still the user's rights
            # (another company's administrator finds their own company's connection there, theirs to manage)
            found = self.env["account.sync.connection"].with_user(user)._for_company()
            if found == self.connection:
                with self.subTest(who=who, via="_for_company"), self.assertRaises(AccessError):
                    found.action_disconnect()
        self.env.invalidate_all()
        self.assertEqual(self.connection.state, "connected")
        self.assertEqual(self._tokens(), tokens, "tokens untouched")
        self.assertEqual(self.fake.identity.counts["revocation"], 0)
        self.assertEqual(len(self.fake.calls()), calls, "nothing sent to Xero on a refused button")
        # an accounting administrator of the company may
        as_manager = self.connection.with_user(self.manager)
        self.assertTrue(as_manager.action_refresh_chart())
        self.assertTrue(as_manager.action_disconnect())
        self.assertEqual(self.fake.identity.counts["revocation"], 1)
        self.assertEqual(self.connection.state, "disconnected")

    def test_buttons_carry_the_administrators_group_in_the_views(self):
        for view in (
            self.env.ref("account_sync.account_sync_connection_view_form"),
            self.env.ref("account_sync.res_config_settings_view_form"),
        ):
            arch = view.arch_db
            buttons = arch.count('<button name="action_')
            self.assertGreater(buttons, 0)
            self.assertEqual(arch.count('groups="account.group_account_manager"'), buttons, view.name)

    # --- the callback, answered once ------------------------------------------------------------------------

    def test_callback_retried_finds_the_grant_and_exchanges_once(self):
        exchanges = self.fake.identity.counts["authorization_code"]
        callback = self._callback()
        self._redirected(self.url_open(callback, allow_redirects=False))
        tokens = self._tokens()
        # the same answer again: what Odoo does after a serialization failure, or the user reloading the page
        again = self.url_open(callback, allow_redirects=False)
        self._redirected(again)
        self.assertEqual(self.fake.identity.counts["authorization_code"], exchanges + 1, "the code exchanged once")
        self.assertEqual(self._tokens(), tokens)
        self.assertEqual(self.connection.state, "connected")

    def test_state_is_used_once(self):
        exchanges = self.fake.identity.counts["authorization_code"]
        callback = self._callback()
        self._redirected(self.url_open(callback, allow_redirects=False))
        tokens, error_before = self._tokens(), self.connection.last_error
        # a second consent's code under the first state: a replay, refused, tokens kept
        second = parse_qs(urlsplit(self._callback()).query)["code"][0]
        self.assertEqual(self.url_open(with_query(callback, code=second), allow_redirects=False).status_code, 403)
        # the used state with error=...: nothing marked broken
        refused = with_query(callback, error="<b>hacked</b>")
        refused = refused.replace("code=", "nocode=")
        self.assertEqual(self.url_open(refused, allow_redirects=False).status_code, 403)
        self.env.invalidate_all()
        self.assertEqual(self.connection.state, "connected")
        self.assertEqual(self.connection.last_error, error_before)
        self.assertEqual(self._tokens(), tokens)
        self.assertEqual(self.fake.identity.counts["authorization_code"], exchanges + 1)

    def test_refused_consent_keeps_the_state_and_says_why_in_plain_text(self):
        exchanges = self.fake.identity.counts["authorization_code"]
        callback = self._callback()
        state = parse_qs(urlsplit(callback).query)["state"][0]
        refused = f"{xero_connection.CALLBACK_PATH}?{urlencode({'state': state, 'error': 'access_denied<script>'})}"
        self._redirected(self.url_open(refused, allow_redirects=False))
        self.env.invalidate_all()
        self.assertEqual(self.connection.state, "disconnected")
        self.assertIn("access_deniedscript", self.connection.last_error)
        self.assertNotIn("<", self.connection.last_error)
        # that state is spent: its code no longer connects
        self.assertEqual(self.url_open(callback, allow_redirects=False).status_code, 403)
        self.env.invalidate_all()
        self.assertEqual(self.connection.state, "disconnected")
        self.assertEqual(self.fake.identity.counts["authorization_code"], exchanges, "nothing exchanged")
