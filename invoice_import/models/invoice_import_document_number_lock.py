"""The import document's invoice number follows the lock of its move (see ``account_move_number_lock``)."""

from odoo import models

from .account_move_number_lock import number_lock_error


class InvoiceImportDocument(models.Model):
    _inherit = "invoice.import.document"

    def write(self, vals):
        if "invoice_number" in vals:
            new = vals["invoice_number"] or False
            for document in self:
                if document.move_id.invoice_import_number_locked and (document.invoice_number or False) != new:
                    raise number_lock_error(self.env, document.invoice_number)
        return super().write(vals)
