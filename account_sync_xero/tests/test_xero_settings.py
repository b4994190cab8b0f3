"""The Xero app's credentials as settings fields: saved where Connect reads them, readable by administrators
only, and a database that set the system parameters by hand keeps them."""

from urllib.parse import parse_qs, urlsplit

from odoo.exceptions import AccessError, UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from ..models import account_sync_connection as xero_connection

CLIENT_ID = xero_connection.PARAM + "client_id"
CLIENT_SECRET = xero_connection.PARAM + "client_secret"


@tagged("post_install", "-at_install")
class TestXeroSettings(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.params = cls.env["ir.config_parameter"].sudo()
        for name in (CLIENT_ID, CLIENT_SECRET):
            cls.params.set_param(name, False)
        cls.connection = cls.env["account.sync.connection"]._for_company()
        cls.manager = new_test_user(
            cls.env, "xero_accountant", groups="account.group_account_manager", company_id=cls.env.company.id
        )

    def _settings(self, **values):
        return self.env["res.config.settings"].create({"account_sync_provider": "xero", **values})

    def test_credentials_entered_in_settings_are_used_by_connect(self):
        settings = self._settings(account_sync_xero_client_id="app-42", account_sync_xero_client_secret="s3cret")
        action = settings.action_account_sync_connect()
        self.assertEqual((self.params.get_param(CLIENT_ID), self.params.get_param(CLIENT_SECRET)), ("app-42", "s3cret"))
        self.assertEqual(self.connection.provider, "xero", "the unsaved provider was saved on the way")
        self.assertEqual(action["type"], "ir.actions.act_url", "Connect goes on to Xero")
        query = parse_qs(urlsplit(action["url"]).query)
        self.assertEqual(query["client_id"], ["app-42"])
        self.assertTrue(query["redirect_uri"][0].endswith(xero_connection.CALLBACK_PATH))
        shown = self.env["res.config.settings"].create({})
        self.assertEqual(shown.account_sync_xero_redirect_uri, query["redirect_uri"][0], "the URI to register")

    def test_parameters_set_by_hand_show_in_settings_and_survive_a_save(self):
        self.params.set_param(CLIENT_ID, "old-app")
        self.params.set_param(CLIENT_SECRET, "old-secret")
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.account_sync_xero_client_id, "old-app")
        settings.execute()
        self.assertEqual(self.params.get_param(CLIENT_SECRET), "old-secret")

    def test_without_credentials_connect_says_where_to_enter_them(self):
        self.connection.provider = "xero"
        with self.assertRaises(UserError) as caught:
            self.connection.action_connect()
        self.assertIn("Settings", str(caught.exception))
        self.assertNotIn("account_sync_xero.", str(caught.exception), "no internal parameter names")

    def test_an_accountant_connects_but_cannot_read_the_credentials(self):
        self._settings(account_sync_xero_client_id="app-42", account_sync_xero_client_secret="s3cret").execute()
        env = self.env(user=self.manager)
        with self.assertRaises(AccessError):
            env["ir.config_parameter"].search([("key", "=", CLIENT_SECRET)]).read(["value"])
        with self.assertRaises(AccessError):
            env["res.config.settings"].create({}).read(["account_sync_xero_client_secret"])
        action = self.connection.with_user(self.manager).action_connect()
        self.assertEqual(parse_qs(urlsplit(action["url"]).query)["client_id"], ["app-42"])
        self.assertNotIn("s3cret", action["url"])
