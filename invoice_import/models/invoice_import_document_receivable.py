"""Validating an imported customer invoice from its import document.

Users of *Receivables import: own customers* read only the invoices of
their own customers, yet may validate any imported customer invoice: the
import document (which they always see, with the extracted values and the
file) is where they do it.  The check is done here -- the document is
readable and writable by the user, it is a customer document, its invoice
is a draft -- and the invoice is posted as superuser, as Odoo's own mail
gateway created it.  Billing users may use the same button or post from
the invoice.
"""

from markupsafe import Markup
from odoo import _, fields, models
from odoo.exceptions import AccessError, UserError

from ..engine.states import FILLED_STATES
from .invoice_import_document import SALE_TYPES


class InvoiceImportDocument(models.Model):
    _inherit = "invoice.import.document"

    move_state = fields.Selection(related="move_id.state", string="Invoice Status")

    def action_validate_invoice(self):
        self.ensure_one()
        user = self.env.user
        if not self.env.su and not (
            user.has_group("invoice_import.group_receivable_own") or user.has_group("account.group_account_invoice")
        ):
            raise AccessError(_("Only receivables import users and billing users validate customer invoices."))
        self.check_access("write")
        move = self.sudo().move_id
        if self.direction != "sale" or move.move_type not in SALE_TYPES:
            raise UserError(_("Only an imported customer invoice or credit note is validated here."))
        if move.state != "draft":
            raise UserError(_("This invoice is already validated."))
        if self.state not in FILLED_STATES:
            raise UserError(
                _("Nothing usable was read from this file (%s): correct the invoice or import it again.", self.state)
            )
        move.action_post()
        move.message_post(
            body=Markup("<p>%s</p>") % _("Validated by %s from its import document.", user.name),
            author_id=user.partner_id.id,
        )
        return True
