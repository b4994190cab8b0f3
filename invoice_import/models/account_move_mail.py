"""Vendor bills created from a mail: tell the intake which bill a mail became, and keep only what privacy allows."""

from markupsafe import Markup
from odoo import _, api, models

PURCHASE_TYPES = ("in_invoice", "in_refund")


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        # EXTENDS account: with the privacy setting, the mail's body is not kept on the bill (the
        # sender, the subject and the attachments are); the inbox loop learns which bill was created
        # (Odoo's gateway only returns an id, which may be another model's when a mail is a reply).
        values = custom_values or {}
        if values.get("move_type") in PURCHASE_TYPES:
            journal = self.env["account.journal"].browse(values.get("journal_id"))
            company = journal.company_id or self.env.company
            if company.invoice_import_mail_privacy:
                msg_dict["body"] = Markup("<p><em>%s</em></p>") % _(
                    "The body of this mail was not kept (privacy setting)."
                )
        move = super().message_new(msg_dict, custom_values=custom_values)
        created = self.env.context.get("invoice_import_created_moves")
        if created is not None:
            created.append(move.id)
        return move
