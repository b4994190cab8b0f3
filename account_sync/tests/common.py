"""What every provider's end-to-end Odoo test needs, whichever fake server it runs against.

Importing it also puts the repository root on ``sys.path``: the fake servers live in the repository's
``tests/fakes/`` (shared with the engine tier), not inside an addon.
"""

import os
import sys
from decimal import Decimal

from odoo import Command, fields
from odoo.tests import HttpCase, TransactionCase

from account_sync.engine.records import RemoteAccount, RemoteTaxRate

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)


class AccountSyncFlowCase(HttpCase):
    """Subclasses set ``connection``, ``partner``, ``product`` and ``tax`` in their set-up."""

    def _follow_callback(self, callback, mapping):
        """Come back from the provider's consent page, refresh the chart and map ``mapping``.

        ``mapping`` gives each mapping field as (kind, remote code), kind "account" or "tax".
        """
        response = self.url_open(callback, allow_redirects=False)
        self.assertIn(response.status_code, (302, 303), response.text[:500])
        self.env.invalidate_all()
        self.assertEqual(self.connection.state, "connected")
        self.connection.action_refresh_chart()
        remote = {(r.kind, r.code): r.id for r in self.connection.remote_account_ids}
        self.connection.write({field: remote[kind_code] for field, kind_code in mapping.items()})
        return self.connection

    def _invoice(self, price=100.0, move_type="out_invoice", post=True, **values):
        move = self.env["account.move"].create(
            {
                "move_type": move_type,
                "partner_id": self.partner.id,
                "invoice_date": fields.Date.today(),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": self.product.id,
                            "quantity": 1,
                            "price_unit": price,
                            "tax_ids": [Command.set(self.tax.ids if move_type == "out_invoice" else [])],
                        }
                    )
                ],
                **values,
            }
        )
        if post:
            move.action_post()
        return move

    def _invoice_of_two_taxes(self, first, second):
        """A posted customer invoice of 100.00 taxed ``first`` and 50.00 taxed ``second`` (one line each)."""
        move = self._invoice(100.0, post=False)
        move.invoice_line_ids.tax_ids = first
        line = {"product_id": self.product.id, "quantity": 1, "price_unit": 50.0, "tax_ids": second.ids}
        move.write({"invoice_line_ids": [Command.create(line)]})
        move.action_post()
        return move

    def _remote(self, record):
        record.invalidate_recordset()
        self.assertNotEqual(record.account_sync_state, "error", record.account_sync_error)
        return record.account_sync_remote_id


ACCOUNTS = [
    RemoteAccount("090", "Bank", "BANK", is_bank=True),
    RemoteAccount("200", "Sales", "REVENUE"),
    RemoteAccount("210", "Labour", "REVENUE"),
    RemoteAccount("260", "Credits", "REVENUE"),
    RemoteAccount("220", "Maintenance labour", "REVENUE"),
    RemoteAccount("230", "Maintenance materials", "REVENUE"),
    RemoteAccount("280", "Card surcharges", "OTHERINCOME"),
    RemoteAccount("281", "Amex surcharges", "OTHERINCOME"),
    RemoteAccount("429", "General Expenses", "OVERHEADS"),
    RemoteAccount("310", "Cost of Goods Sold", "DIRECTCOSTS"),
]
TAXES = [RemoteTaxRate("OUTPUT2", "GST on Income", Decimal(15)), RemoteTaxRate("NONE", "No GST", Decimal(0))]


class MappingCase(TransactionCase):
    """A company connection with a mapped remote chart, a customer, a tax, a service and a good; no server."""

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
