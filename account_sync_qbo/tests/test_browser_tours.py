"""QuickBooks' settings in a real browser, connected to the fake QuickBooks (tag ``iis_browser``).

``tests/odoo_browser_tier.sh`` runs it in headless Chromium; the odoo tier leaves it out. The connection is made
through the real OAuth callback against the XSD-validating fake of ``tests/fakes`` (``QboFlowCase``); the tour
reads the accounting sync settings as a user sees them and sets QuickBooks' own ones. Odoo fails the tour on any
console error.
"""

from odoo.tests import tagged

from .test_qbo_flow import QboFlowCase


@tagged("post_install", "-at_install", "iis_browser")
class TestQboSettingsTour(QboFlowCase):
    def test_quickbooks_settings(self):
        connection = self._connect()
        self.assertEqual((connection.state, connection.qbo_lead_source_definition), ("connected", False))
        self.start_tour("/odoo/settings", "account_sync_qbo_settings", login="admin")
        connection.invalidate_recordset()
        self.assertEqual(connection.qbo_lead_source_definition, "2")
        self.assertEqual(connection.qbo_lead_source_name, "Referral")
        self.assertTrue(connection.qbo_accept_credit_cards)
