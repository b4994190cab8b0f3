"""The QuickBooks app's credentials and environment as settings fields: saved where Connect reads them,
readable by administrators only, and what a database set by hand (or a test's discovery URL) is kept."""

from urllib.parse import parse_qs, urlsplit

from odoo.addons.account_sync.tests.common import REPO_ROOT  # noqa: F401 - makes tests.fakes importable
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, new_test_user, tagged

from tests.fakes.qbo_server import FakeQbo

from ..models import account_sync_connection as qbo_connection

PARAM = qbo_connection.PARAM


@tagged("post_install", "-at_install")
class TestQboSettings(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.params = cls.env["ir.config_parameter"].sudo()
        for name in ("client_id", "client_secret", "environment"):
            cls.params.set_param(PARAM + name, False)
        cls.connection = cls.env["account.sync.connection"]._for_company()

    def test_credentials_entered_in_settings_are_used_by_connect(self):
        """Against the fake's discovery document (intuit-oauth reads it when the client is made)."""
        fake = FakeQbo().start()
        self.addCleanup(fake.stop)
        self.params.set_param(PARAM + "environment", fake.discovery_url)
        settings = self.env["res.config.settings"].create(
            {
                "account_sync_provider": "qbo",
                "account_sync_qbo_client_id": fake.oauth.client_id,
                "account_sync_qbo_client_secret": "intuit-secret",
            }
        )
        action = settings.action_account_sync_connect()
        self.assertEqual(self.params.get_param(PARAM + "client_secret"), "intuit-secret")
        self.assertEqual(self.connection.provider, "qbo", "the unsaved provider was saved on the way")
        self.assertEqual(action["type"], "ir.actions.act_url", "Connect goes on to Intuit")
        query = parse_qs(urlsplit(action["url"]).query)
        self.assertEqual(query["client_id"], [fake.oauth.client_id])
        shown = self.env["res.config.settings"].create({})
        self.assertEqual(shown.account_sync_qbo_redirect_uri, query["redirect_uri"][0], "the URI to register")

    def test_the_environment_chosen_is_stored(self):
        self.env["res.config.settings"].create({"account_sync_qbo_environment": "sandbox"}).execute()
        self.assertEqual(self.params.get_param(PARAM + "environment"), "sandbox")
        self.assertEqual(self.env["res.config.settings"].create({}).account_sync_qbo_environment, "sandbox")

    def test_no_environment_stored_means_production(self):
        self.assertEqual(self.env["res.config.settings"].create({}).account_sync_qbo_environment, "production")

    def test_an_environment_url_set_by_hand_is_kept_by_a_save(self):
        discovery = "http://127.0.0.1:9/.well-known/openid_configuration"
        self.params.set_param(PARAM + "environment", discovery)
        settings = self.env["res.config.settings"].create({})
        self.assertFalse(settings.account_sync_qbo_environment, "not one of the two choices")
        settings.execute()
        self.assertEqual(self.params.get_param(PARAM + "environment"), discovery)

    def test_an_accountant_cannot_read_the_credentials(self):
        self.params.set_param(PARAM + "client_secret", "intuit-secret")
        manager = new_test_user(self.env, "qbo_accountant", groups="account.group_account_manager")
        env = self.env(user=manager)
        with self.assertRaises(AccessError):
            env["ir.config_parameter"].search([("key", "=", PARAM + "client_secret")]).read(["value"])
        with self.assertRaises(AccessError):
            env["res.config.settings"].create({}).read(["account_sync_qbo_client_secret"])
