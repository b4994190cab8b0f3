"""Confirming a bill teaches its supplier's layout (see ``invoice_import_format``)."""

from odoo import models

from .invoice_import_document import PURCHASE_TYPES


class AccountMove(models.Model):
    _inherit = "account.move"

    def _post(self, soft=True):
        # EXTENDS account: a confirmed bill read from a page is what its supplier's layout is learned from
        posted = super()._post(soft=soft)
        Format = self.env["invoice.import.format"]
        for move in posted.filtered(lambda m: m.move_type in PURCHASE_TYPES and m.invoice_import_document_id):
            Format._learn_from_bill(move)
        return posted
