"""The provider-neutral half: settings, the remote chart, and Odoo records mapped to neutral records."""

from decimal import Decimal

from odoo import Command, fields
from odoo.tests import Form, TransactionCase, tagged

from account_sync.engine.errors import MappingError
from account_sync.engine.records import CreditNote, Invoice, RemoteAccount, RemoteTaxRate

from ..models import sync_mapper

ACCOUNTS = [
    RemoteAccount("090", "Bank", "BANK", is_bank=True),
    RemoteAccount("200", "Sales", "REVENUE"),
    RemoteAccount("210", "Labour", "REVENUE"),
    RemoteAccount("260", "Credits", "REVENUE"),
    RemoteAccount("429", "General Expenses", "OVERHEADS"),
    RemoteAccount("310", "Cost of Goods Sold", "DIRECTCOSTS"),
]
TAXES = [RemoteTaxRate("OUTPUT2", "GST on Income", Decimal(15)), RemoteTaxRate("NONE", "No GST", Decimal(0))]


@tagged("post_install", "-at_install")
class TestConnection(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.connection = cls.env["account.sync.connection"]._for_company()
        cls.env["account.sync.remote.account"]._refresh(cls.connection, ACCOUNTS, TAXES)
        cls.remote = {
            (r.kind, r.code): r
            for r in cls.env["account.sync.remote.account"].search([("connection_id", "=", cls.connection.id)])
        }
        cls.connection.write(
            {
                "materials_income_account_id": cls.remote[("account", "200")].id,
                "labour_income_account_id": cls.remote[("account", "210")].id,
                "credit_note_account_id": cls.remote[("account", "260")].id,
                "supplier_invoice_account_id": cls.remote[("account", "310")].id,
                "supplier_expense_account_id": cls.remote[("account", "429")].id,
                "sales_tax_id": cls.remote[("tax", "OUTPUT2")].id,
                "sales_tax_free_id": cls.remote[("tax", "NONE")].id,
                "invoice_reference_field": "ref",
            }
        )
        cls.partner = cls.env["res.partner"].create(
            {"name": "Harbour Plumbing", "email": "ap@harbour.example", "phone": "+64 9 377 1234"}
        )
        cls.tax = cls.env["account.tax"].create({"name": "GST 15", "amount": 15, "type_tax_use": "sale"})
        cls.service = cls.env["product.product"].create({"name": "Call-out", "type": "service", "list_price": 90})
        cls.goods = cls.env["product.product"].create({"name": "Copper pipe", "type": "consu", "list_price": 10})

    def _invoice(self, move_type="out_invoice", **values):
        return self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": self.partner.id,
                "invoice_date": fields.Date.today(),
                "ref": "PO-778",
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.service.id,
                            "quantity": 2,
                            "price_unit": 90,
                            "tax_ids": [Command.set(self.tax.ids)],
                        }
                    ),
                    Command.create({"product_id": self.goods.id, "quantity": 5, "price_unit": 10, "tax_ids": []}),
                ],
                **values,
            }
        )

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
            form.account_sync_bad_debt_account_id = self.remote[("account", "429")]
        self.assertEqual(self.connection.payment_account_id.code, "090")
        self.assertEqual(self.connection.bad_debt_account_id.code, "429")
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
