"""Files dropped on a purchase journal: the bills of one upload post oldest invoice first."""

from odoo import models

from .bill_import import SETTLE_LATER


class AccountJournal(models.Model):
    _inherit = "account.journal"

    def _create_document_from_attachment(self, attachment_ids):
        # EXTENDS account, which settles each file's bill as soon as it is read (``_autopost_bill``): the
        # imported bills of the upload (and the extra bills of a CSV) are settled together once all are read,
        # oldest invoice date first, so that the ones that post are numbered in the order of their dates.
        # Returns Odoo's recordset of the bills created, unchanged.
        outer = self.env.context.get(SETTLE_LATER)
        later = [] if outer is None else outer
        invoices = super(AccountJournal, self.with_context(**{SETTLE_LATER: later}))._create_document_from_attachment(
            attachment_ids
        )
        if outer is None:
            moves = self.env["account.move"].browse(later).exists()
            moves.filtered("invoice_import_document_id")._invoice_import_settle_in_order()
        return invoices
