"""The QuickBooks flow in a real Odoo against the XSD-validating fake QuickBooks from ``tests/fakes``.

The fake lives in the repository's test tree, not in the addon; ``account_sync.tests.common`` puts the
repository root on ``sys.path`` so it can be imported.  Each
test gets a fresh fake company (Odoo rolls its records back, so ids and requestids repeat between tests),
reached through the unchanged python-quickbooks and intuit-oauth with the addon's system parameters
pointed at it.
"""

from decimal import Decimal

import requests
from odoo import fields
from odoo.addons.account_sync.tests.common import AccountSyncFlowCase  # also makes tests.fakes importable
from odoo.tests import new_test_user, tagged

from account_sync.engine.records import Payment, RecordRef
from account_sync_qbo.engine.oauth import QboAuth
from tests.fakes import qbo_schema
from tests.fakes.qbo_server import FakeQbo

from ..models import account_sync_connection as qbo_connection


class QboFlowCase(AccountSyncFlowCase):
    """A connection to a fresh fake QuickBooks per test, the user's consent played through the controller."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connection = cls.env["account.sync.connection"]._for_company()
        cls.connection.provider = "qbo"
        cls.admin = cls.env.ref("base.user_admin")  # the state is bound to the user who clicked Connect
        cls.tax = cls.env["account.tax"].create({"name": "VAT 20%", "amount": 20, "type_tax_use": "sale"})
        cls.partner = cls.env["res.partner"].create(
            {"name": "Harbour Plumbing Ltd", "email": "ap@harbour.example", "phone": "+44 20 7946 0958"}
        )
        cls.product = cls.env["product.product"].create({"name": "Call-out", "type": "service"})
        # the fake validates with Intuit's XSDs, compiled once per process: compiled here, not inside the
        # first test's first request, whose 5 s timeout a busy machine can exceed while they compile
        qbo_schema.schema()

    def setUp(self):
        super().setUp()
        self.fake = FakeQbo().start()
        self.addCleanup(self.fake.stop)
        params = {
            "client_id": self.fake.oauth.client_id,
            "client_secret": self.fake.oauth.client_secret,
            "environment": self.fake.discovery_url,
            "api_url": self.fake.api_url,
            "timeout": "30",  # the fake validates every body against the XSDs: slow on a loaded 2-core machine
            "retry_base_delay": "0.1",
            "max_attempts": "3",
        }
        for name, value in params.items():
            self.env["ir.config_parameter"].set_param(qbo_connection.PARAM + name, value)

    def tearDown(self):
        super().tearDown()
        self.assertEqual(self.fake.violations, [], "requests or answers outside Intuit's XSD")

    # --- helpers --------------------------------------------------------------------------------------

    def _connect(self):
        """Play the user at Intuit: open the consent URL, follow the redirect back into Odoo."""
        self.authenticate("admin", "admin")
        action = self.connection.with_user(self.admin).action_connect()
        self.assertEqual(action["type"], "ir.actions.act_url")
        consent = requests.get(action["url"], allow_redirects=False, timeout=10)
        self.assertEqual(consent.status_code, 302, consent.text[:500])
        callback = consent.headers["Location"]
        self.assertTrue(callback.startswith(self.base_url() + qbo_connection.CALLBACK_PATH), callback)
        return self._follow_callback(
            callback,
            {
                "payment_account_id": ("account", "1200"),
                "labour_income_account_id": ("account", "4100"),
                "materials_income_account_id": ("account", "4000"),
                "supplier_invoice_account_id": ("account", "7500"),
                "sales_tax_id": ("tax", "2"),
                "sales_tax_free_id": ("tax", "3"),
                "purchase_tax_id": ("tax", "2"),
                "purchase_tax_free_id": ("tax", "3"),
            },
        )

    def _company(self):
        return self.fake.company()


@tagged("post_install", "-at_install")
class TestQboFlow(QboFlowCase):
    # --- connection -----------------------------------------------------------------------------------

    def test_connect_through_the_controller_stores_the_realm_then_disconnect(self):
        connection = self._connect()
        self.assertEqual(connection.tenant_id, self._company().realm_id)
        self.assertTrue(connection.sudo().refresh_token)
        self.assertEqual(self.fake.oauth.live_refresh_tokens(connection.tenant_id), [connection.sudo().refresh_token])
        bank = connection.remote_account_ids.filtered(lambda r: r.code == "1200")
        self.assertEqual((bank.remote_id, bank.category), ("5", "bank"), "the chart keeps QuickBooks' ids")
        self.assertEqual(connection.remote_account_ids.filtered(lambda r: r.code == "2").rate, 20.0)
        connection.action_disconnect()
        self.assertEqual(connection.state, "disconnected")
        self.assertFalse(connection.sudo().refresh_token)
        self.assertFalse(connection.tenant_id)
        self.assertEqual(self.fake.oauth.live_refresh_tokens(self._company().realm_id), [], "revoked at Intuit")

    def test_callback_refuses_forged_or_foreign_state(self):
        self.authenticate("admin", "admin")
        action = self.connection.with_user(self.admin).action_connect()
        callback = requests.get(action["url"], allow_redirects=False, timeout=10).headers["Location"]
        forged = callback.replace("state=", "state=x")
        self.assertEqual(self.url_open(forged, allow_redirects=False).status_code, 403)
        other = new_test_user(self.env, "other_admin", groups="base.group_system,account.group_account_manager")
        self.authenticate(other.login, other.login)
        self.assertEqual(self.url_open(callback, allow_redirects=False).status_code, 403, "state bound to its user")
        self.env.invalidate_all()
        self.assertEqual(self.connection.state, "disconnected")

    # --- pushing --------------------------------------------------------------------------------------

    def test_push_customer_and_invoice_idempotently_then_void(self):
        connection = self._connect()
        move = self._invoice(100.0)
        self.assertTrue(connection._sync())
        remote_id = self._remote(move)
        stored = self._company().read("Invoice", remote_id)
        self.assertEqual(Decimal(str(stored["TotalAmt"])), Decimal("120.00"))
        self.assertEqual(stored["DocNumber"], move.name)
        customer_id = self._remote(self.partner)
        self.assertEqual(stored["CustomerRef"]["value"], customer_id, "the customer went first")
        self.assertEqual(len(self._company().rows("Customer")), 1)

        creates = len(self.fake.calls("batch"))
        connection._sync()
        self.assertEqual(len(self.fake.calls("batch")), creates, "same version: nothing pushed again")
        self.assertEqual(len(self._company().rows("Invoice")), 1)

        move.button_draft()
        move.button_cancel()
        connection._sync()
        move.invalidate_recordset()
        self.assertEqual(move.account_sync_state, "voided")
        voided = self._company().read("Invoice", remote_id)
        self.assertEqual(Decimal(str(voided["TotalAmt"])), Decimal("0"))

    def test_edit_updates_the_same_invoice_and_an_odoo_payment_is_pushed(self):
        connection = self._connect()
        move = self._invoice(100.0)
        connection._sync()
        remote_id = self._remote(move)
        move.button_draft()
        move.invoice_line_ids.price_unit = 200.0
        move.action_post()
        connection._sync()
        self.assertEqual(self._remote(move), remote_id, "an edit updates the same QuickBooks invoice")
        self.assertEqual(Decimal(str(self._company().read("Invoice", remote_id)["TotalAmt"])), Decimal("240.00"))
        self.assertTrue(self.fake.calls("invoice", "write"), "updated with its SyncToken, not created in a batch")
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids).create(
            {}
        )._create_payments()
        connection._sync()
        [paid] = self._company().rows("Payment")
        self.assertEqual(paid["DepositToAccountRef"]["value"], "5", "account 1200 sent by its QuickBooks id")
        self.assertEqual(paid["Line"][0]["LinkedTxn"][0]["TxnId"], remote_id)
        self.assertEqual(Decimal(str(self._company().read("Invoice", remote_id)["Balance"])), Decimal("0"))

    def test_bill_pushed_to_the_vendor_only_once_posted(self):
        connection = self._connect()
        bill = self._invoice(80.0, move_type="in_invoice", post=False, ref="SUP-881")
        connection._sync()
        self.assertFalse(self._remote(bill), "a draft bill stays in Odoo")
        bill.action_post()
        connection._sync()
        stored = self._company().read("Bill", self._remote(bill))
        self.assertEqual(stored["DocNumber"], "SUP-881")
        self.assertEqual(stored["VendorRef"]["value"], self._remote(self.partner))
        self.assertEqual(stored["Line"][0]["AccountBasedExpenseLineDetail"]["AccountRef"]["value"], "6")
        self.assertEqual(len(self._company().rows("Vendor")), 1)

    # --- payments -------------------------------------------------------------------------------------

    def test_payment_recorded_in_quickbooks_marks_the_invoice_paid(self):
        connection = self._connect()
        move = self._invoice(50.0)
        connection._sync()
        feed = Payment(
            ref=RecordRef("bank.feed", 1, "v1"),
            document_remote_id=self._remote(move),
            amount=Decimal("60.00"),
            date=fields.Date.today(),
            account_code="1200",
        )
        result = connection._qbo_client().push_payment(feed)
        self.assertTrue(result.ok, result.errors)
        connection._sync()
        move.invalidate_recordset()
        self.assertEqual(move.payment_state, "paid")
        pulled = self.env["account.sync.binding"].search(
            [("model", "=", "account.payment"), ("remote_id", "=", result.remote_id)]
        )
        self.assertEqual(pulled.origin, "remote")
        payments = self.env["account.payment"].search_count([])
        connection._sync()
        self.assertEqual(self.env["account.payment"].search_count([]), payments, "pulled once, never again")
        self.assertEqual(len(self._company().rows("Payment")), 1, "the pulled payment was not pushed back")

    # --- tokens ---------------------------------------------------------------------------------------

    def test_expired_access_token_is_refreshed_and_stored(self):
        connection = self._connect()
        before = connection.sudo().access_token, connection.sudo().refresh_token
        self.fake.oauth.expire()
        self._invoice(10.0)
        self.assertTrue(connection._sync())
        self.env.invalidate_all()
        after = connection.sudo().access_token, connection.sudo().refresh_token
        self.assertTrue(after[0] != before[0] and after[1] != before[1], "the rotated pair was stored")
        self.assertEqual(self.fake.oauth.live_refresh_tokens(connection.tenant_id), [after[1]])
        self.assertEqual(connection.state, "connected")

    def test_refresh_token_rotated_elsewhere_asks_for_reconnection(self):
        connection = self._connect()
        store = connection._token_store()
        QboAuth(connection._qbo_settings()).refresh(store.get(store.key))  # another installation spent it
        self.fake.oauth.expire()
        self._invoice(10.0)
        self.assertFalse(connection._sync())
        self.assertEqual(connection.state, "broken")
        self.assertIn("invalid_grant", connection.last_error)
        self.assertTrue(connection.action_reconnect()["url"].startswith(self.fake.url))

    def test_a_broken_connection_reconnects_through_the_callback_and_syncs_again(self):
        connection = self._connect()
        store = connection._token_store()
        QboAuth(connection._qbo_settings()).refresh(store.get(store.key))  # another installation spent it
        self.fake.oauth.expire()
        move = self._invoice(10.0)
        self.assertFalse(connection._sync())
        self.assertEqual(connection.state, "broken")
        action = connection.with_user(self.admin).action_reconnect()
        callback = requests.get(action["url"], allow_redirects=False, timeout=10).headers["Location"]
        answer = self.url_open(callback, allow_redirects=False)
        self.assertIn(answer.status_code, (302, 303), answer.text[:500])
        self.env.invalidate_all()
        self.assertEqual((connection.state, connection.last_error), ("connected", False))
        self.assertEqual(connection.tenant_id, self._company().realm_id, "the same QuickBooks company")
        self.assertIn(connection.sudo().refresh_token, self.fake.oauth.live_refresh_tokens(connection.tenant_id))
        self.assertTrue(connection._sync())
        self.assertEqual(
            Decimal(str(self._company().read("Invoice", self._remote(move))["TotalAmt"])), Decimal("12.00")
        )

    def test_two_vat_rates_are_pushed_with_their_own_tax_codes(self):
        """*Refresh chart* proposes QuickBooks' 20% and 5% codes for Odoo's 20% and 5% taxes; one invoice with
        both reaches QuickBooks with two tax codes and the tax of each rate."""
        reduced = self.env["account.tax"].create({"name": "VAT 5% reduced", "amount": 5, "type_tax_use": "sale"})
        connection = self._connect()
        codes = {row.tax_id: row.remote_tax_id.code for row in connection.tax_map_ids}
        self.assertEqual((codes[self.tax], codes[reduced]), ("2", "4"))
        move = self._invoice_of_two_taxes(self.tax, reduced)
        self.assertTrue(connection._sync())
        stored = self._company().read("Invoice", self._remote(move))
        sales = [line for line in stored["Line"] if line["DetailType"] == "SalesItemLineDetail"]
        self.assertEqual([line["SalesItemLineDetail"]["TaxCodeRef"]["value"] for line in sales], ["2", "4"])
        self.assertEqual(Decimal(str(stored["TxnTaxDetail"]["TotalTax"])), Decimal("22.50"), "20.00 + 2.50")

    def test_throttle_in_xml_is_a_retry_not_an_error(self):
        connection = self._connect()
        move = self._invoice(20.0)
        self.fake.faults.add("throttle", endpoint="batch", times=3, retry_after=0.2)  # max_attempts is 3
        self.assertFalse(connection._sync())
        self.assertEqual(connection.state, "connected")
        self.assertEqual(connection.log_ids[0].level, "retry")
        self.assertNotEqual(move.account_sync_state, "error")
        self.assertTrue(connection._sync(), "the next run pushes it")
        self.assertTrue(self._remote(move))
        self.assertEqual(len(self._company().rows("Invoice")), 1)
