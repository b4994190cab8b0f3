"""The whole Xero flow in a real Odoo against the spec-validating fake Xero from ``tests/fakes``.

The fake lives in the repository's test tree, not in the addon; ``account_sync.tests.common`` puts the
repository root on ``sys.path`` so it can be imported.
The fake runs in this process on 127.0.0.1 and is reached through the unchanged xero-python SDK, with
the addon's endpoints pointed at it through its system parameters.
"""

import logging
import time
from decimal import Decimal
from unittest.mock import patch

import requests
from odoo import Command, fields, sql_db
from odoo.addons.account_sync.models import sync_mapper
from odoo.addons.account_sync.tests.common import AccountSyncFlowCase  # also makes tests.fakes importable
from odoo.tests import new_test_user, tagged

from account_sync.engine.ratelimit import Limits, RateLimiterRegistry
from account_sync.engine.records import Payment, RecordRef
from account_sync_xero.engine.config import XeroEndpoints
from tests.fakes import xero_faults as faults
from tests.fakes.xero_harness import contact
from tests.fakes.xero_server import FakeXero, XeroLimits

from ..models import account_sync_connection as xero_connection

_logger = logging.getLogger(__name__)


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

    def test_lines_pushed_as_items_create_the_item_once(self):
        connection = self._connect()
        connection.push_lines_as_items = True
        self.product.default_code = "CALLOUT"
        first, second = self._invoice(90.0), self._invoice(95.0)
        self.assertTrue(connection._sync())
        self.assertEqual([(i["Code"], i["Name"]) for i in self._ledger().items.values()], [("CALLOUT", "Call-out")])
        for move in (first, second):
            self.assertEqual(self._ledger().invoices[self._remote(move)]["LineItems"][0]["ItemCode"], "CALLOUT")
        self.assertEqual(len(self.fake.calls("createItems")), 1)

    def test_start_date_keeps_earlier_invoices_in_odoo(self):
        connection = self._connect()
        connection.start_date = fields.Date.today()
        earlier = self._invoice(30.0, invoice_date=fields.Date.subtract(fields.Date.today(), days=1))
        current = self._invoice(40.0)
        self.assertTrue(connection._sync())
        earlier.invalidate_recordset()
        self.assertEqual(earlier.account_sync_state, "none", "dated before the start date: stays in Odoo")
        self.assertTrue(self._remote(current))
        self.assertEqual([i["InvoiceNumber"] for i in self._ledger().invoices.values()], [current.name])

    def test_two_companies_sync_to_their_own_organisations(self):
        """Each company's connection, mapping and bindings are its own; the same shared partner is a contact
        in both organisations."""
        second_ledger = self.fake.ledger(1)
        self.addCleanup(second_ledger.restore, second_ledger.snapshot())
        first = self._connect()
        other = self.env["res.company"].create({"name": "Second Org Ltd (Odoo)"})
        self.env["account.chart.template"].try_loading("generic_coa", company=other, install_demo=False)
        self.admin.company_ids |= other
        self.env.user.company_ids |= other
        second = self.env["account.sync.connection"]._for_company(other)
        second.provider = "xero"
        self.assertNotEqual(first, second)
        self.connection = second  # _follow_callback maps the connection under test
        callback = self._consent(second.with_user(self.admin).action_connect())
        second = self._follow_callback(callback, {})
        second.tenant_selection = self.fake.tenants[1][0]  # the second organisation for the second company
        second.action_refresh_chart()
        remote = {(r.kind, r.code): r.id for r in second.remote_account_ids}
        second.write(
            {
                "labour_income_account_id": remote[("account", "200")],
                "materials_income_account_id": remote[("account", "260")],
                "sales_tax_id": remote[("tax", "OUTPUT2")],
                "sales_tax_free_id": remote[("tax", "NONE")],
            }
        )
        tax_other = self.env["account.tax"].create(
            {"name": "GST 15% (2)", "amount": 15, "type_tax_use": "sale", "company_id": other.id}
        )
        mine = self._invoice(100.0)
        theirs = (
            self.env["account.move"]
            .with_company(other)
            .create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.partner.id,
                    "invoice_date": fields.Date.today(),
                    "invoice_line_ids": [
                        Command.create(
                            {"product_id": self.product.id, "price_unit": 70.0, "tax_ids": [Command.set(tax_other.ids)]}
                        )
                    ],
                }
            )
        )
        theirs.action_post()
        self.assertTrue(first._sync())
        self.assertTrue(second.with_company(other)._sync())
        Binding = self.env["account.sync.binding"].sudo()
        one, two = (
            Binding.search([("connection_id", "=", c.id), ("model", "=", "account.move")]) for c in (first, second)
        )
        self.assertEqual((one.res_id, two.res_id), (mine.id, theirs.id), "each connection pushed its company's invoice")
        self.assertEqual([i["SubTotal"] for i in self.fake.ledger(0).invoices.values()], [Decimal("100.00")])
        self.assertEqual([i["SubTotal"] for i in second_ledger.invoices.values()], [Decimal("70.00")])
        contacts = Binding.search([("model", "=", "res.partner"), ("res_id", "=", self.partner.id)])
        self.assertEqual(len(contacts), 2, "the shared partner is bound once per connection")
        self.assertEqual(
            {c.remote_id for c in contacts},
            {next(iter(self.fake.ledger(0).contacts)), next(iter(second_ledger.contacts))},
        )
        self.assertEqual({c.tenant for c in self.fake.calls("createInvoices")}, {t[0] for t in self.fake.tenants})

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

    def _pay(self, move, amount=None):
        values = {"amount": amount} if amount is not None else {}
        wizard = self.env["account.payment.register"].with_context(active_model="account.move", active_ids=move.ids)
        return wizard.create(values)._create_payments()

    def _xero_payment(self, move, amount):
        """A payment recorded in Xero (a bank feed), as the pull will find it."""
        connection = self.connection
        feed = Payment(
            ref=RecordRef("bank.feed", amount, "v1"),
            document_remote_id=self._remote(move),
            amount=Decimal(amount),
            date=fields.Date.today(),
            account_code="090",
        )
        [result] = connection._xero_client().push_payments([feed], connection._account_mapping())
        self.assertTrue(result.ok, result.errors)
        return result.remote_id

    def test_cancelled_credit_note_is_voided_and_its_invoice_due_again(self):
        connection = self._connect()
        move = self._invoice(100.0)
        refund = move._reverse_moves([{"ref": "Damaged part"}])
        refund.invoice_line_ids.price_unit = 40.0
        refund.action_post()
        connection._sync()
        note_id, invoice_id = self._remote(refund), self._remote(move)
        self.assertEqual(self._ledger().invoices[invoice_id]["AmountDue"], Decimal("69.00"))
        refund.button_draft()  # un-reconciles it from the invoice in Odoo
        refund.button_cancel()
        connection._sync()
        note = self._ledger().credit_notes[note_id]
        self.assertEqual(note["Status"], "VOIDED")
        self.assertTrue(note["Allocations"][0]["IsDeleted"], "Xero voids no allocated note: allocation went first")
        self.assertEqual(self._ledger().invoices[invoice_id]["AmountDue"], Decimal("115.00"))
        refund.invalidate_recordset()
        self.assertEqual(refund.account_sync_state, "voided")
        self.assertEqual(move.amount_residual, 115.0, "Odoo agrees: the invoice is due again")

    def test_split_payments_each_pushed_and_a_cancelled_one_deleted(self):
        connection = self._connect()
        move = self._invoice(100.0)
        connection._sync()
        first, second = self._pay(move, 60.0), self._pay(move, 55.0)
        connection._sync()
        invoice_id = self._remote(move)
        self.assertEqual(self._ledger().invoices[invoice_id]["Status"], "PAID", "both parts pushed")
        first_id, second_id = self._remote(first), self._remote(second)
        self.assertEqual({p["Amount"] for p in self._ledger().payments.values()}, {Decimal(60), Decimal(55)})
        first.action_draft()
        first.action_cancel()
        connection._sync()
        self.assertEqual(self._ledger().payments[first_id]["Status"], "DELETED")
        stored = self._ledger().invoices[invoice_id]
        self.assertEqual((stored["Status"], stored["AmountDue"]), ("AUTHORISED", Decimal("60.00")))
        first.invalidate_recordset()
        self.assertEqual(first.account_sync_state, "voided")
        # a payment reset to draft and deleted in Odoo goes the same way
        second.action_draft()
        second.unlink()
        connection._sync()
        self.assertEqual(self._ledger().payments[second_id]["Status"], "DELETED")
        self.assertEqual(self._ledger().invoices[invoice_id]["AmountDue"], Decimal("115.00"))
        self.assertEqual(len(self._ledger().payments), 2, "nothing pushed again")

    def test_payment_edited_in_odoo_replaces_its_xero_twin(self):
        connection = self._connect()
        move = self._invoice(100.0)
        connection._sync()
        pay = self._pay(move, 40.0)
        connection._sync()
        old_id = self._remote(pay)
        pay.action_draft()
        pay.amount = 45.0
        pay.action_post()
        connection._sync()
        new_id = self._remote(pay)
        self.assertNotEqual(new_id, old_id, "Xero payments cannot be edited: deleted and created again")
        payments = self._ledger().payments
        self.assertEqual((payments[old_id]["Status"], payments[new_id]["Amount"]), ("DELETED", Decimal(45)))
        self.assertEqual(self._ledger().invoices[self._remote(move)]["AmountDue"], Decimal("70.00"))

    def test_payment_deleted_in_xero_is_cancelled_in_odoo_and_part_payments_stay_partial(self):
        connection = self._connect()
        pulled, pushed = self._invoice(100.0), self._invoice(50.0)
        connection._sync()
        remote_id = self._xero_payment(pulled, "20.00")
        ours = self._pay(pushed)
        connection._sync()
        pulled.invalidate_recordset()
        self.assertEqual((pulled.payment_state, pulled.amount_residual), ("partial", 95.0), "a part payment")
        client = connection._xero_client()
        self.assertTrue(client.delete_payment(remote_id, RecordRef("bank.feed", 1, "del")).ok)
        self.assertTrue(client.delete_payment(self._remote(ours), RecordRef("bank.feed", 2, "del")).ok)
        connection._sync()
        binding = self.env["account.sync.binding"].search([("remote_id", "=", remote_id)])
        payment = self.env["account.payment"].browse(binding.res_id)
        self.assertEqual((payment.state, binding.state), ("canceled", "voided"))
        ours.invalidate_recordset()
        self.assertEqual(ours.state, "canceled", "deleted in Xero: cancelled in Odoo, whoever created it")
        (pulled | pushed).invalidate_recordset()
        self.assertEqual((pulled.payment_state, pushed.payment_state), ("not_paid", "not_paid"))
        self.assertEqual(len(self._ledger().payments), 2, "a cancellation from Xero is not pushed back")

    def test_unchanged_records_are_not_read_again(self):
        connection = self._connect()

        def quiet_run():
            """Queries and documents read by a run with nothing to do."""
            read = []
            original = sync_mapper.document

            def counting(connection_, move, *args):
                read.append(move.id)
                return original(connection_, move, *args)

            self.env.invalidate_all()  # a scheduled run starts with an empty cache
            before = sql_db.sql_counter
            with patch.object(sync_mapper, "document", counting):
                self.assertTrue(connection._sync())
            return sql_db.sql_counter - before, read

        moves = [self._invoice(10.0 + n) for n in range(3)]
        self._pay(moves[0])
        connection._sync()
        queries_small, read = quiet_run()
        self.assertEqual(read, [], "nothing changed: no invoice read again")
        moves += [self._invoice(20.0 + n) for n in range(12)]
        self._pay(moves[-1])
        connection._sync()
        queries_large, read = quiet_run()
        self.assertEqual(read, [])
        self.assertEqual(queries_large, queries_small, "a quiet run costs the same with 3 or 15 invoices")
        self.assertLessEqual(queries_small, 40)
        _logger.info("a sync run with nothing to do: %s queries with 3 or 15 invoices", queries_small)
        moves[4].button_draft()
        moves[4].invoice_line_ids.price_unit = 99.0
        moves[4].action_post()
        updates = len(self.fake.calls("updateOrCreateInvoices"))
        _queries, read = quiet_run()
        # Odoo also rewrites the next invoice when one goes back to draft (its sequence-gap flag): read, not sent
        self.assertIn(moves[4].id, read)
        self.assertLessEqual(len(read), 2, "only what was written is read again")
        self.assertEqual(len(self.fake.calls("updateOrCreateInvoices")), updates + 1, "and only the edit is sent")
        self.assertEqual(self._ledger().invoices[self._remote(moves[4])]["SubTotal"], Decimal("99.00"))

    def test_surcharge_line_pushed_to_the_payment_methods_account(self):
        connection = self._connect()
        fee = self.env["product.product"].create({"name": "Card fee", "type": "service"})
        method = self.env["account.payment.method.line"].search([("payment_type", "=", "inbound")], limit=1)
        other = connection.remote_account_ids.filtered(lambda r: r.code == "260")
        connection.surcharge_ids = [
            Command.create({"product_id": fee.id, "payment_method_line_id": method.id, "account_id": other.id})
        ]
        move = self._invoice(100.0, post=False, preferred_payment_method_line_id=method.id)
        move.invoice_line_ids = [Command.create({"product_id": fee.id, "price_unit": 2.5, "tax_ids": []})]
        move.action_post()
        connection._sync()
        lines = self._ledger().invoices[self._remote(move)]["LineItems"]
        self.assertEqual([(line["AccountCode"], line["LineAmount"]) for line in lines], [("200", 100), ("260", 2.5)])

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

    def test_a_broken_connection_reconnects_through_the_callback_and_syncs_again(self):
        connection = self._connect()
        self.fake.identity.expire_access_tokens()
        self.fake.faults.add(faults.INVALID_GRANT, "token", times=1)  # the refresh token was rotated elsewhere
        move = self._invoice(10.0)
        self.assertFalse(connection._sync())
        self.assertEqual(connection.state, "broken")
        callback = self._consent(connection.with_user(self.admin).action_reconnect())
        answer = self.url_open(callback, allow_redirects=False)
        self.assertIn(answer.status_code, (302, 303), answer.text[:500])
        self.env.invalidate_all()
        self.assertEqual((connection.state, connection.last_error), ("connected", False))
        self.assertEqual(connection.tenant_name, "Demo Company (NZ)", "the same organisation")
        self.assertFalse(connection.import_offer_pending, "not offered again: not the first connection")
        self.assertTrue(connection._sync())
        self.assertEqual(self._ledger().invoices[self._remote(move)]["Total"], Decimal("11.50"))

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

    # --- tax codes per tax ----------------------------------------------------------------------------

    def test_19_and_7_percent_are_pushed_with_their_own_tax_codes(self):
        """A German organisation's two VAT rates: *Refresh chart* proposes a code per Odoo tax by rate and
        direction, and one invoice with both rates reaches Xero with two tax types and the right tax."""
        rates = self._ledger().tax_rates
        for tax_type, name, rate in (("TAX001", "19% USt (Income)", 19), ("TAX002", "7% USt (Income)", 7)):
            rates[tax_type] = {**rates["OUTPUT2"], "Name": name, "TaxType": tax_type}
            rates[tax_type].update(
                TaxComponents=[{"Name": "USt", "Rate": Decimal(rate), "IsCompound": False, "IsNonRecoverable": False}],
                DisplayTaxRate=Decimal(rate),
                EffectiveRate=Decimal(rate),
            )
            self.addCleanup(rates.pop, tax_type)
        full = self.env["account.tax"].create({"name": "19% USt", "amount": 19, "type_tax_use": "sale"})
        reduced = self.env["account.tax"].create({"name": "7% USt", "amount": 7, "type_tax_use": "sale"})
        connection = self._connect()
        codes = {row.tax_id: row.remote_tax_id.code for row in connection.tax_map_ids}
        self.assertEqual((codes[full], codes[reduced], codes[self.tax]), ("TAX001", "TAX002", "OUTPUT2"))
        move = self._invoice_of_two_taxes(full, reduced)
        self.assertTrue(connection._sync())
        stored = self._ledger().invoices[self._remote(move)]
        self.assertEqual([line["TaxType"] for line in stored["LineItems"]], ["TAX001", "TAX002"])
        self.assertEqual(stored["TotalTax"], Decimal("22.50"), "19.00 + 3.50")
        self.assertEqual(stored["Total"], Decimal(str(move.amount_total)))
