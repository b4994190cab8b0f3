"""The provider-neutral half: settings, the remote chart, and Odoo records mapped to neutral records."""

from decimal import Decimal

from odoo import Command
from odoo.tests import Form, tagged

from account_sync.engine.errors import MappingError
from account_sync.engine.records import CreditNote, Invoice, RemoteAccount

from ..models import sync_mapper
from .common import ACCOUNTS, TAXES, MappingCase


@tagged("post_install", "-at_install")
class TestConnection(MappingCase):
    def test_settings_write_through_to_the_company_connection(self):
        settings = self.env["res.config.settings"].create(
            {"account_sync_start_date": "2024-07-01", "account_sync_line_mode": "summary"}
        )
        settings.execute()
        self.assertEqual(str(self.connection.start_date), "2024-07-01")
        self.assertEqual(self.connection.line_mode, "summary")
        self.assertEqual(self.env["res.config.settings"].create({}).account_sync_connection_id, self.connection)

    def test_settings_screen_edits_the_mapping(self):
        """Through the real settings view: its domains and related fields must hold together."""
        self.connection.state = "connected"  # the account and tax blocks show once connected
        with Form(self.env["res.config.settings"]) as form:
            form.account_sync_payment_account_id = self.remote[("account", "090")]
            form.account_sync_relax_account_restrictions = True
            form.account_sync_supplier_expense_account_id = self.remote[("account", "310")]
        self.assertEqual(self.connection.payment_account_id.code, "090")
        self.assertEqual(self.connection.supplier_expense_account_id.code, "310")
        self.assertTrue(self.connection.relax_account_restrictions)

    def test_chart_refresh_upserts_and_archives(self):
        Remote = self.env["account.sync.remote.account"]
        self.assertEqual(self.remote[("account", "090")].category, "bank")
        self.assertEqual(self.remote[("account", "429")].category, "expense")
        Remote._refresh(self.connection, ACCOUNTS[:-1] + [RemoteAccount("400", "Advertising", "OVERHEADS")], TAXES)
        self.assertFalse(self.remote[("account", "310")].active, "gone remotely: archived, mappings stay readable")
        self.assertTrue(Remote.search([("connection_id", "=", self.connection.id), ("code", "=", "400")]))

    def test_invoice_maps_to_remote_codes(self):
        move = self._invoice()
        move.action_post()
        kind, doc = sync_mapper.document(self.connection, move, {})
        self.assertEqual(kind, "invoice")
        self.assertIsInstance(doc, Invoice)
        self.assertEqual(doc.reference, "PO-778")
        self.assertEqual(doc.number, move.name)
        self.assertEqual(
            [(line.account_code, line.tax_code, line.quantity, line.unit_price) for line in doc.lines],
            [("210", "OUTPUT2", Decimal(2), Decimal(90)), ("200", "NONE", Decimal(5), Decimal(10))],
        )
        self.assertEqual(doc.contact.name, "Harbour Plumbing")
        # the version only changes with the content: an unchanged invoice is never pushed twice
        self.assertEqual(sync_mapper.document(self.connection, move, {})[1].ref.version, doc.ref.version)
        override = self.remote[("account", "260")]
        self.goods.product_tmpl_id.account_sync_income_account_id = override
        _kind, again = sync_mapper.document(self.connection, move, {})
        self.assertEqual(again.lines[1].account_code, "260", "per product override")
        self.assertNotEqual(again.ref.version, doc.ref.version)

    def test_summary_mode_and_credit_note_allocation(self):
        self.connection.line_mode = "summary"
        move = self._invoice()
        move.action_post()
        _kind, doc = sync_mapper.document(self.connection, move, {})
        self.assertEqual(len(doc.lines), 1)
        self.assertEqual(doc.lines[0].unit_price, Decimal(230))
        self.connection.line_mode = "lines"
        reversal = move._reverse_moves([{"ref": "Refund"}])
        reversal.action_post()
        kind, note = sync_mapper.document(self.connection, reversal, {("account.move", move.id): "remote-inv"})
        self.assertEqual(kind, "credit_note")
        self.assertIsInstance(note, CreditNote)
        self.assertEqual([line.account_code for line in note.lines], ["260", "260"], "credit note account")
        self.assertEqual([(a.invoice_remote_id, a.amount) for a in note.allocations], [("remote-inv", Decimal("257"))])

    def test_unmapped_tax_code_is_a_clear_error(self):
        self.connection.sales_tax_free_id = False
        move = self._invoice()
        move.action_post()
        with self.assertRaisesRegex(MappingError, "tax-free"):
            sync_mapper.document(self.connection, move, {})

    def test_surcharge_lines_go_to_the_account_of_the_payment_method(self):
        fee = self.env["product.product"].create({"name": "Card surcharge", "type": "service"})
        action = self.env["res.config.settings"].create({}).action_account_sync_open_surcharges()
        self.assertEqual((action["res_model"], action["res_id"]), ("account.sync.connection", self.connection.id))
        card, amex = self.env["account.payment.method.line"].search([("payment_type", "=", "inbound")], limit=2)
        self.connection.surcharge_ids = [
            Command.create({"product_id": fee.id, "account_id": self.remote[("account", "280")].id}),
            Command.create(
                {
                    "product_id": fee.id,
                    "payment_method_line_id": amex.id,
                    "account_id": self.remote[("account", "281")].id,
                }
            ),
        ]
        move = self._invoice(preferred_payment_method_line_id=card.id)
        move.invoice_line_ids = [Command.create({"product_id": fee.id, "quantity": 1, "price_unit": 3.5})]
        move.action_post()
        _kind, doc = sync_mapper.document(self.connection, move, {})
        self.assertEqual([line.account_code for line in doc.lines], ["210", "200", "280"], "no row of its own")
        move.button_draft()
        move.preferred_payment_method_line_id = amex
        move.action_post()
        _kind, doc = sync_mapper.document(self.connection, move, {})
        self.assertEqual(doc.lines[2].account_code, "281", "the payment method's own row")
        # a surcharge product wins over its own product override, which is for ordinary lines
        fee.product_tmpl_id.account_sync_income_account_id = self.remote[("account", "260")]
        self.assertEqual(sync_mapper.document(self.connection, move, {})[1].lines[2].account_code, "281")
        # no row for the method and no catch-all row: refused, not guessed
        self.connection.surcharge_ids.filtered(lambda row: not row.payment_method_line_id).unlink()
        move.button_draft()
        move.preferred_payment_method_line_id = card
        move.action_post()
        with self.assertRaisesRegex(MappingError, "surcharge income account for Card surcharge"):
            sync_mapper.document(self.connection, move, {})
