"""The invoice number of an imported document is fixed once the document is validated.

*Invoice number* means the number the issuer printed on the document: on
the move it is ``ref`` (what the import fills: *Bill Reference* on a vendor
bill, *Customer Reference* on an imported customer invoice), on the import
document it is ``invoice_number``.  Duplicate detection keys on it, so a
number changed after validation would let the same invoice in twice, or
hide the original.  ``payment_reference`` stays editable: it is the
communication matched against bank statements, not the document's number.

The lock is a flag set by the first posting and never cleared: resetting
the move to draft does not reopen the number.  A wrong number is fixed by
deleting (or cancelling) the move and importing the file again.  Moves
that were not imported are left alone.
"""

from odoo import fields, models
from odoo.exceptions import UserError


def number_lock_error(env, number):
    return UserError(
        env._(
            "The invoice number %s of an imported document cannot be changed after validation: "
            "delete (or cancel) the invoice and import the file again.",
            number or "",
        )
    )


class AccountMove(models.Model):
    _inherit = "account.move"

    invoice_import_number_locked = fields.Boolean(
        "Invoice Number Locked",
        copy=False,
        readonly=True,
        help="Set when an imported invoice is validated for the first time; resetting to draft keeps it.",
    )

    def _post(self, soft=True):
        # EXTENDS account
        posted = super()._post(soft=soft)
        imported = posted.filtered(lambda m: m.invoice_import_document_ids and not m.invoice_import_number_locked)
        if imported:
            imported.invoice_import_number_locked = True
        return posted

    def write(self, vals):
        if "ref" in vals:
            new = vals["ref"] or False
            for move in self:
                if move.invoice_import_number_locked and (move.ref or False) != new:
                    raise number_lock_error(self.env, move.ref)
        return super().write(vals)
