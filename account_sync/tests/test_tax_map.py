"""The tax code per Odoo tax: proposed when the chart is refreshed, kept when a user chose it, used by the
push before the four defaults (no server: ``MappingCase``'s chart)."""

from decimal import Decimal

from odoo import Command
from odoo.addons.account_sync.models import sync_mapper
from odoo.tests import tagged

from account_sync.engine.records import RemoteTaxRate

from .common import ACCOUNTS, TAXES, MappingCase

GERMAN_TAXES = [
    *TAXES,
    RemoteTaxRate("TAX001", "19% USt (Income)", Decimal(19)),
    RemoteTaxRate("TAX002", "7% USt (Income)", Decimal(7)),
    RemoteTaxRate("TAX003", "19% Vorsteuer (Expenses)", Decimal(19)),
]


@tagged("post_install", "-at_install")
class TestTaxMap(MappingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Tax = cls.env["account.tax"]
        cls.full = Tax.create({"name": "19% USt", "amount": 19, "type_tax_use": "sale"})
        cls.reduced = Tax.create({"name": "7% USt", "amount": 7, "type_tax_use": "sale"})
        cls.input = Tax.create({"name": "19% Vorsteuer", "amount": 19, "type_tax_use": "purchase"})
        cls.odd = Tax.create({"name": "16% USt", "amount": 16, "type_tax_use": "sale"})

    def _refresh(self):
        self.env["account.sync.remote.account"]._refresh(self.connection, ACCOUNTS, GERMAN_TAXES)
        return self.env["account.sync.tax.map"]._propose(self.connection)

    def _codes(self):
        return {row.tax_id: row.remote_tax_id.code for row in self.connection.tax_map_ids}

    def _move(self, *taxes):
        lines = [
            Command.create({"product_id": self.goods.id, "quantity": 1, "price_unit": 100, "tax_ids": tax.ids})
            for tax in taxes
        ]
        return self.env["account.move"].create(
            {"move_type": "out_invoice", "partner_id": self.partner.id, "invoice_line_ids": lines}
        )

    def test_refresh_proposes_a_code_per_tax_by_rate_and_direction(self):
        self._refresh()
        codes = self._codes()
        self.assertEqual(
            (codes[self.full], codes[self.reduced], codes[self.input], codes[self.tax]),
            ("TAX001", "TAX002", "TAX003", "OUTPUT2"),
        )
        self.assertFalse(codes[self.odd], "no 16% in the ledger: no proposal, the default applies")

    def test_lines_carry_their_taxes_codes_and_an_unmapped_tax_the_default(self):
        self._refresh()
        _kind, doc = sync_mapper.document(self.connection, self._move(self.full, self.reduced, self.odd), {})
        self.assertEqual([line.tax_code for line in doc.lines], ["TAX001", "TAX002", "OUTPUT2"])

    def test_a_code_chosen_by_a_user_survives_the_next_refresh(self):
        self._refresh()
        row = self.connection.tax_map_ids.filtered(lambda r: r.tax_id == self.odd)
        row.remote_tax_id = self.remote[("tax", "OUTPUT2")]
        self.assertEqual(row.origin, "user")
        self._refresh()
        self.assertEqual(self._codes()[self.odd], "OUTPUT2")
        self.assertEqual(self.connection.tax_map_ids.filtered(lambda r: r.tax_id == self.full).origin, "proposed")

    def test_a_summary_line_of_different_codes_takes_the_default(self):
        self._refresh()
        self.connection.line_mode = "summary"
        _kind, doc = sync_mapper.document(self.connection, self._move(self.full, self.reduced), {})
        self.assertEqual([line.tax_code for line in doc.lines], ["OUTPUT2"])
        _kind, doc = sync_mapper.document(self.connection, self._move(self.reduced, self.reduced), {})
        self.assertEqual([line.tax_code for line in doc.lines], ["TAX002"])

    def test_a_group_tax_gets_the_stacked_code_of_its_childrens_total_and_a_fixed_amount_none(self):
        Tax = self.env["account.tax"]
        children = Tax.create(
            [
                {"name": "Child 19%", "amount": 19, "type_tax_use": "none", "sequence": 1},
                {"name": "Child 7%", "amount": 7, "type_tax_use": "none", "sequence": 2},
            ]
        )
        group = Tax.create(
            {
                "name": "19% + 7% USt",
                "amount_type": "group",
                "type_tax_use": "sale",
                "children_tax_ids": [Command.set(children.ids)],
            }
        )
        fixed = Tax.create({"name": "Levy", "amount_type": "fixed", "amount": 19, "type_tax_use": "sale"})
        stacked = [*GERMAN_TAXES, RemoteTaxRate("TAX026", "26% stacked (Income)", Decimal(26))]
        self.env["account.sync.remote.account"]._refresh(self.connection, ACCOUNTS, stacked)
        self.env["account.sync.tax.map"]._propose(self.connection)
        codes = self._codes()
        self.assertEqual(codes[group], "TAX026", "19% and 7% stacked: the code whose rate is their sum")
        self.assertFalse(codes[fixed], "a fixed amount of 19 is no 19% rate: no proposal")
        self.assertEqual(codes[self.full], "TAX001")
