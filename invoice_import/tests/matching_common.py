"""Purchase orders and supplier CSVs for the matching tests: ACME's CSV export against the company's POs."""

import importlib.util

from odoo import Command

from .common import SAMPLES, InvoiceImportCommon


def _sample_module(name):
    spec = importlib.util.spec_from_file_location(f"invoice_import_samples_{name}", SAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


acme_csv = _sample_module("acme_csv").acme_csv


class MatchingCommon(InvoiceImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.acme.invoice_import_format_id = cls.acme_format
        cls.bolts = cls._product("Hex bolts M8", "BOLT-M8", "10-2040")
        cls.washers = cls._product("Washers DIN 125", "WASH-8", "10-3310")
        cls.wrench = cls._product("Torque wrench", "WR-40", None)
        cls.service = cls._product("Site survey", "SURVEY", "SV-1", purchase_method="purchase", type_="service")

    @classmethod
    def _product(cls, name, default_code, supplier_code, purchase_method="receive", type_="consu"):
        values = {
            "name": name,
            "default_code": default_code,
            "type": type_,
            "purchase_method": purchase_method,
            "supplier_taxes_id": [Command.set(cls.tax_19.ids)],
        }
        if supplier_code:
            values["seller_ids"] = [Command.create({"partner_id": cls.acme.id, "product_code": supplier_code})]
        return cls.env["product.product"].create(values)

    def purchase(self, lines, received=True, confirm=True, partner=None, ref=None):
        """A PO in euros; ``lines``: (product, qty, price); ``received``: True (all), False, or a list of qties."""
        order = self.env["purchase.order"].create(
            {
                "partner_id": (partner or self.acme).id,
                "partner_ref": ref,
                "currency_id": self.eur.id,
                "order_line": [
                    Command.create(
                        {"product_id": p.id, "product_qty": q, "price_unit": price, "taxes_id": self.tax_19.ids}
                    )
                    for p, q, price in lines
                ],
            }
        )
        if confirm:
            order.button_confirm()
            quantities = received if isinstance(received, list) else [q if received else 0 for _p, q, _x in lines]
            for line, qty in zip(order.order_line, quantities, strict=True):
                if qty:
                    line.qty_received = qty
        return order

    def rule(self, scope, mode, value, low=0.0, high=0.0, sequence=10):
        return self.env["invoice.import.tolerance.rule"].create(
            {
                "scope": scope,
                "mode": mode,
                "value": value,
                "min_value": low,
                "max_value": high,
                "sequence": sequence,
                "company_id": self.company.id,
            }
        )

    def import_csv(self, number, po_reference, lines, sender=None):
        return self.upload((f"{number}.csv", acme_csv(number, po_reference, lines)), sender=sender)

    def match_activities(self, bill):
        return self.review_activities(bill.invoice_import_document_id)
