"""QuickBooks' settings in a real browser, connected to the fake QuickBooks (tag ``iis_browser``).

``tests/odoo_browser_tier.sh`` runs it in headless Chromium; the odoo tier leaves it out. The connection is made
through the real OAuth callback against the XSD-validating fake of ``tests/fakes`` (``QboFlowCase``); the tour
reads the accounting sync settings as a user sees them and sets QuickBooks' own ones. Odoo fails the tour on any
console error.
"""

from odoo.tests import tagged

from ..models import account_sync_connection as qbo_connection
from .test_qbo_flow import QboFlowCase


@tagged("post_install", "-at_install", "iis_browser")
class TestQboSettingsTour(QboFlowCase):
    def setUp(self):
        super().setUp()
        # the screen is the subject here, not timeouts: the fake's first answers (its XSDs loading) can take
        # longer than the flow tests' 5 s on a loaded machine
        self.env["ir.config_parameter"].set_param(qbo_connection.PARAM + "timeout", "30")

    def test_quickbooks_settings(self):
        connection = self._connect()
        self.assertEqual((connection.state, connection.qbo_lead_source_definition), ("connected", False))
        self.start_tour("/odoo/settings", "account_sync_qbo_settings", login="admin")
        connection.invalidate_recordset()
        self.assertEqual(connection.qbo_lead_source_definition, "2")
        self.assertEqual(connection.qbo_lead_source_name, "Referral")
        self.assertTrue(connection.qbo_accept_credit_cards)

    def test_quickbooks_settings_before_connecting(self):
        self.assertEqual((self.connection.provider, self.connection.state), ("qbo", "disconnected"))
        self.start_tour("/odoo/settings", "account_sync_qbo_before_connect", login="admin")
        self.connection.invalidate_recordset()
        self.assertTrue(self.connection.qbo_accept_credit_cards)
        self.assertEqual(self.env["ir.config_parameter"].get_param(qbo_connection.PARAM + "environment"), "sandbox")
