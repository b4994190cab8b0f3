"""The whole Xero flow in a real Odoo against the spec-validating fake Xero from ``tests/fakes``.

The fake lives in the repository's test tree, not in the addon; ``account_sync.tests.common`` puts the
repository root on ``sys.path`` so it can be imported.
The fake runs in this process on 127.0.0.1 and is reached through the unchanged xero-python SDK, with
the addon's endpoints pointed at it through its system parameters.
"""

import time
from decimal import Decimal
from unittest.mock import patch

import requests
from odoo import fields
from odoo.addons.account_sync.tests.common import AccountSyncFlowCase  # also makes tests.fakes importable
from odoo.tests import new_test_user, tagged

from account_sync.engine.ratelimit import Limits, RateLimiterRegistry
from account_sync.engine.records import Payment, RecordRef
from account_sync_xero.engine.config import XeroEndpoints
from tests.fakes import xero_faults as faults
from tests.fakes.xero_harness import contact
from tests.fakes.xero_server import FakeXero, XeroLimits

from ..models import account_sync_connection as xero_connection


@tagged("post_install", "-at_install")
class TestXeroFlow(AccountSyncFlowCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Xero's 60 calls a minute are the engine tier's and the bench's subject: this class makes about a
        # hundred calls to one organisation within a minute, and the client rightly waits when the fake's
        # X-MinLimit-Remaining header reaches 0, so both sides get a tenfold quota here.
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
        cls.admin = cls.env.ref("base.user_admin")  # the state is bound to the user who clicked Connect
        cls.tax = cls.env["account.tax"].create({"name": "GST 15%", "amount": 15, "type_tax_use": "sale"})
        cls.partner = cls.env["res.partner"].create(
            {"name": "Harbour Plumbing Ltd", "email": "ap@harbour.example", "phone": "+64 9 377 1234"}
        )
        cls.product = cls.env["product.product"].create({"name": "Call-out", "type": "service"})

    def setUp(self):
        super().setUp()
        # Odoo rolls each test back; so does the organisation, or invoice numbers would collide next test
        ledger = self.fake.ledger(0)
        self.addCleanup(ledger.restore, ledger.snapshot())
        # ... and forgets the Idempotency-Keys it saw: the same partner is pushed again with the same key
        self.addCleanup(setattr, self.fake, "idempotency", dict(self.fake.idempotency))

    def tearDown(self):
        super().tearDown()
        self.assertEqual(self.fake.violations, [], "requests or answers that Xero's spec rejects")

    # --- helpers --------------------------------------------------------------------------------------

    def _consent(self, action):
        """Play the user at Xero: open the authorisation URL, get redirected back with a code."""
        self.assertEqual(action["type"], "ir.actions.act_url")
        answer = requests.get(action["url"], allow_redirects=False, timeout=10)
        self.assertEqual(answer.status_code, 302)
        return answer.headers["Location"]

    def _connect(self):
        self.authenticate("admin", "admin")
        callback = self._consent(self.connection.with_user(self.admin).action_connect())
        self.assertTrue(callback.startswith(self.base_url() + xero_connection.CALLBACK_PATH))
        return self._follow_callback(
            callback,
            {
                "payment_account_id": ("account", "090"),
                "labour_income_account_id": ("account", "200"),
                "materials_income_account_id": ("account", "260"),
                "credit_note_account_id": ("account", "200"),
                "supplier_invoice_account_id": ("account", "310"),
                "supplier_expense_account_id": ("account", "429"),
                "sales_tax_id": ("tax", "OUTPUT2"),
                "sales_tax_free_id": ("tax", "NONE"),
                "purchase_tax_id": ("tax", "INPUT2"),
                "purchase_tax_free_id": ("tax", "NONE"),
            },
        )

    def _ledger(self):
        return self.fake.ledger(0)

    # --- connection -----------------------------------------------------------------------------------

    def test_connect_through_the_controller_then_disconnect(self):
        connection = self._connect()
        self.assertEqual(connection.tenant_name, "Demo Company (NZ)")
        self.assertEqual(connection.tenant_id, self.fake.tenants[0][0])
        self.assertEqual(len(connection.sudo().tenant_choices), 2, "both organisations offered")
        self.assertTrue(connection.import_offer_pending, "first connection: the customer import is offered")
        self.assertTrue(connection.sudo().refresh_token)
        self.assertIn("OUTPUT2", connection.remote_account_ids.mapped("code"))
        connection.tenant_selection = self.fake.tenants[1][0]  # several organisations: the user chooses
        self.assertEqual(connection.tenant_name, "Second Org Ltd")
        connection.action_refresh_chart()
        self.assertEqual(self.fake.calls("getAccounts")[-1].tenant, self.fake.tenants[1][0])
        connection.action_disconnect()
        self.assertEqual(self.fake.identity.counts["revocation"], 1)
        self.assertEqual(connection.state, "disconnected")
        self.assertFalse(connection.sudo().refresh_token)

    def test_callback_refuses_forged_foreign_or_missing_state(self):
        self.authenticate("admin", "admin")
        callback = self._consent(self.connection.with_user(self.admin).action_connect())
        forged = callback.replace("state=", "state=x")
        self.assertEqual(self.url_open(forged, allow_redirects=False).status_code, 403)
        other = new_test_user(self.env, "other_admin", groups="base.group_system,account.group_account_manager")
        self.authenticate(other.login, other.login)
        self.assertEqual(self.url_open(callback, allow_redirects=False).status_code, 403, "state bound to its user")
        self.env.invalidate_all()
        self.assertEqual(self.connection.state, "disconnected")

    # --- pushing --------------------------------------------------------------------------------------

    def test_push_customer_and_invoice_idempotently_edit_and_void(self):
        connection = self._connect()
        move = self._invoice(100.0)
        self.assertTrue(connection._sync())
        remote_id = self._remote(move)
        stored = self._ledger().invoices[remote_id]
        self.assertEqual(
            (stored["Status"], stored["Total"], stored["InvoiceNumber"]), ("AUTHORISED", Decimal("115.00"), move.name)
        )
        contact_id = self._remote(self.partner)
        self.assertEqual(stored["Contact"]["ContactID"], contact_id, "the customer went first")
        self.assertEqual(move.account_sync_state, "synced")

        creates = len(self.fake.calls("createInvoices"))
        connection._sync()
        self.assertEqual(len(self.fake.calls("createInvoices")), creates, "same version: nothing pushed again")

        move.button_draft()
        move.invoice_line_ids.price_unit = 200.0
        move.action_post()
        connection._sync()
        self.assertEqual(self._remote(move), remote_id, "an edit updates the same Xero invoice")
        self.assertEqual(self._ledger().invoices[remote_id]["Total"], Decimal("230.00"))

        move.button_draft()
        move.button_cancel()
        connection._sync()
        self.assertEqual(self._ledger().invoices[remote_id]["Status"], "VOIDED")
        move.invalidate_recordset()
        self.assertEqual(move.account_sync_state, "voided")

    def test_credit_note_is_allocated_to_its_invoice(self):
        connection = self._connect()
        move = self._invoice(100.0)
        connection._sync()
        refund = move._reverse_moves([{"ref": "Damaged part"}])
        refund.invoice_line_ids.price_unit = 40.0
        refund.action_post()
        connection._sync()
        note = self._ledger().credit_notes[self._remote(refund)]
        self.assertEqual(note["Type"], "ACCRECCREDIT")
        self.assertEqual(note["Allocations"][0]["Amount"], Decimal("46.00"))
        self.assertEqual(self._ledger().invoices[self._remote(move)]["AmountDue"], Decimal("69.00"))

    def test_bill_pushed_only_once_posted(self):
        connection = self._connect()
        bill = self._invoice(80.0, move_type="in_invoice", post=False, ref="SUP-881")
        connection._sync()
        self.assertFalse(self._remote(bill), "a draft bill stays in Odoo")
        bill.action_post()
        connection._sync()
        stored = self._ledger().invoices[self._remote(bill)]
        self.assertEqual((stored["Type"], stored["InvoiceNumber"]), ("ACCPAY", "SUP-881"))
        self.assertEqual(stored["LineItems"][0]["AccountCode"], "310")

    def test_scheduled_action_and_sync_now_push(self):
        connection = self._connect()
        first, second = self._invoice(11.0), self._invoice(12.0)
        self.env.ref("account_sync.ir_cron_account_sync").method_direct_trigger()
        self.assertTrue(self._remote(first))
        settings = self.env["res.config.settings"].create({})
        self.assertEqual(settings.account_sync_connection_id, connection)
        second.button_draft()
        second.invoice_line_ids.price_unit = 13.0
        second.action_post()
        settings.action_account_sync_sync_now()
        self.assertEqual(self._ledger().invoices[self._remote(second)]["SubTotal"], Decimal("13.00"))

    # --- payments -------------------------------------------------------------------------------------

    def test_payments_both_ways(self):
        connection = self._connect()
        paid_here, paid_there = self._invoice(100.0), self._invoice(50.0)
        connection._sync()
        # paid in Odoo: pushed to Xero against the mapped bank account
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=paid_here.ids).create(
            {}
        )._create_payments()
        connection._sync()
        self.assertEqual(self._ledger().invoices[self._remote(paid_here)]["Status"], "PAID")
        # paid in Xero (a bank feed): pulled, registered and reconciled in Odoo
        client = connection._xero_client()
        feed = Payment(
            ref=RecordRef("bank.feed", 1, "v1"),
            document_remote_id=self._remote(paid_there),
            amount=Decimal("57.50"),
            date=fields.Date.today(),
            account_code="090",
        )
        [result] = client.push_payments([feed], connection._account_mapping())
        self.assertTrue(result.ok, result.errors)
        connection._sync()
        paid_there.invalidate_recordset()
        self.assertEqual(paid_there.payment_state, "paid")
        pulled = self.env["account.sync.binding"].search(
            [("model", "=", "account.payment"), ("remote_id", "=", result.remote_id)]
        )
        self.assertEqual(pulled.origin, "remote")
        self.assertEqual(self.env["account.payment"].browse(pulled.res_id).amount, 57.5)
        payments = self.env["account.payment"].search_count([])
        connection._sync()
        self.assertEqual(self.env["account.payment"].search_count([]), payments, "pulled once, never again")
        self.assertEqual(len(self._ledger().payments), 2, "the pulled payment was not pushed back")

    # --- tokens and limits ----------------------------------------------------------------------------

    def test_expired_access_token_is_refreshed_and_stored(self):
        connection = self._connect()
        before = connection.sudo().access_token
        self.fake.identity.expire_access_tokens()
        self._invoice(10.0)
        self.assertTrue(connection._sync())
        self.env.invalidate_all()
        self.assertNotEqual(connection.sudo().access_token, before)
        self.assertEqual(connection.state, "connected")

    def test_rotated_refresh_token_marks_the_connection_broken(self):
        connection = self._connect()
        self.fake.identity.expire_access_tokens()
        self.fake.faults.add(faults.INVALID_GRANT, "token", times=1)
        self._invoice(10.0)
        self.assertFalse(connection._sync())
        self.assertEqual(connection.state, "broken")
        self.assertIn("invalid_grant", connection.last_error)
        self.assertTrue(connection.action_reconnect()["url"].startswith(self.fake.authorize_url))

    def test_rate_limit_is_a_retry_not_an_error(self):
        connection = self._connect()
        move = self._invoice(20.0)
        self.fake.faults.add(faults.RATE_LIMIT, "createInvoices", times=3, retry_after=1)
        started = time.monotonic()
        self.assertFalse(connection._sync())
        self.assertGreaterEqual(time.monotonic() - started, 2, "Retry-After was honoured")
        self.assertEqual(connection.state, "connected")
        self.assertEqual(connection.log_ids[0].level, "retry")
        self.assertNotEqual(move.account_sync_state, "error")
        self.assertTrue(connection._sync(), "the next run pushes it")
        self.assertTrue(self._remote(move))

    # --- customers import -----------------------------------------------------------------------------

    def test_import_customers_after_first_connection(self):
        connection = self._connect()
        ledger = self._ledger()
        before = len(ledger.contacts)
        client = connection._xero_client()
        client.push_contacts([contact(900 + n, name=f"Xero only {n}") for n in range(3)])
        connection.action_accept_import()
        self.assertFalse(connection.import_offer_pending)
        imported = self.env["res.partner"].search([("name", "like", "Xero only")])
        self.assertEqual(len(imported), 3)
        self.assertTrue(all(p.account_sync_remote_id for p in imported))
        self.assertEqual(len(ledger.contacts), before + 3)
        exported = self.env["res.partner"].create([{"name": f"Odoo only {n}", "customer_rank": 1} for n in range(2)])
        self.assertGreaterEqual(connection.action_export_customers(), 2)
        self.assertTrue(all(self._remote(p) in ledger.contacts for p in exported))
        self.assertEqual(connection.action_export_customers(), 0, "linked customers are not exported twice")
        wizard = self.env["account.sync.import.wizard"].create({"connection_id": connection.id})
        wizard.action_import()
        self.assertEqual(self.env["res.partner"].search_count([("name", "like", "Xero only")]), 3, "no duplicates")
