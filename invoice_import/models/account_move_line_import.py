"""Imported bill lines are marked as imported when they are created, so Odoo's marking after them costs nothing.

Once a decoder has filled a bill, Odoo's loop (``account.move.
_extend_with_attachments``) writes ``is_imported = True`` on the lines it
added, so that later changes (a product set by the purchase order match)
do not recompute their taxes and prices.  ``account.move.line.write``
runs the whole move's balance check and the sync of its tax and payable
lines around any write, even one that changes nothing: on a ten-line bill
that is a tenth of the import.  The engine's decoder creates its lines
with the flag already set (``bill_import``), and a write that sets the
flag alone to the value every line already has is skipped here.
"""

from odoo import models


class AccountMoveLine(models.Model):
    _inherit = "account.move.line"

    def write(self, vals):
        # EXTENDS account: the flag alone, already so on every line, changes nothing and syncs nothing
        if vals.keys() == {"is_imported"} and all(line.is_imported == bool(vals["is_imported"]) for line in self):
            return True
        return super().write(vals)
