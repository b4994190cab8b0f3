"""Mail to a bills or sales import address: forwarding confirmations, privacy, which bill a mail became."""

from markupsafe import Markup
from odoo import _, api, models
from odoo.tools import html2plaintext

from ..engine import mailbox
from .invoice_import_document import PURCHASE_TYPES, SALE_TYPES

# The journals whose address imports invoices: vendor bills, and customer invoices issued elsewhere.
IMPORT_TYPES = PURCHASE_TYPES + SALE_TYPES


class AccountMove(models.Model):
    _inherit = "account.move"

    @api.model
    def _routing_check_route(self, message, message_dict, route, raise_exception=True):
        # EXTENDS account, which bounces a mail without attachment back to its sender: a provider's
        # forwarding confirmation sent to the bills (or sales) address must instead reach the administrators
        # (with its code, on the journal), and make no bill.
        model, _thread_id, defaults, *_rest = route
        defaults = defaults or {}
        if model == "account.move" and defaults.get("move_type") in IMPORT_TYPES:
            confirmation = mailbox.forwarding_confirmation(
                mailbox.real_sender(message_dict.get("email_from") or ""),
                message_dict.get("subject") or "",
                html2plaintext(message_dict.get("body") or ""),
            )
            # the journal only for a confirmation: every other mail would pay a query for nothing
            journal = self.env["account.journal"].browse(defaults.get("journal_id")).exists() if confirmation else None
            if journal:
                journal._invoice_import_forwarding_confirmation(
                    confirmation, message_dict.get("subject") or "", journal.alias_email or journal.display_name
                )
                return ()
        return super()._routing_check_route(message, message_dict, route, raise_exception=raise_exception)

    @api.model
    def message_new(self, msg_dict, custom_values=None):
        # EXTENDS account: with the privacy setting, the body of a mail to an import journal is not
        # kept (the sender, the subject and the attachments are); the inbox loop learns which bill
        # was created (Odoo's gateway only returns an id, which may be another model's for a reply).
        values = custom_values or {}
        if values.get("move_type") in IMPORT_TYPES:
            # read through the cache the bill's creation reads it from anyway (no existence query: the creation
            # fails on a journal that is gone, as it does without this addon)
            journal = self.env["account.journal"].browse(values.get("journal_id") or ())
            if (journal.company_id or self.env.company).invoice_import_mail_privacy:
                msg_dict["body"] = Markup("<p><em>%s</em></p>") % _(
                    "The body of this mail was not kept (privacy setting)."
                )
        move = super().message_new(msg_dict, custom_values=custom_values)
        created = self.env.context.get("invoice_import_created_moves")
        if created is not None:
            created.append(move.id)
        return move
