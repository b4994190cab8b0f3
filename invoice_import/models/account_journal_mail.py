"""A bills or sales journal's address that nobody can guess, and the provider mails sent to it that are for a person."""

import secrets
import string

from markupsafe import Markup, escape
from odoo import _, models

ALIAS_PREFIX = "bills-"
SALES_ALIAS_PREFIX = "invoices-"
ALIAS_RANDOM_LENGTH = 16


def random_alias_name(prefix=ALIAS_PREFIX):
    """``bills-`` (or ``invoices-``) and 16 random lower-case letters and digits (about 82 bits): not worth guessing."""
    alphabet = string.ascii_lowercase + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _i in range(ALIAS_RANDOM_LENGTH))


class AccountJournal(models.Model):
    _inherit = "account.journal"

    def _invoice_import_new_alias(self):
        """A new random address; the old one is no alias any more, so Odoo's routing refuses its mail."""
        for journal in self:
            journal.alias_name = random_alias_name(SALES_ALIAS_PREFIX if journal.type == "sale" else ALIAS_PREFIX)
        return True

    def _invoice_import_forwarding_confirmation(self, confirmation, subject, address):
        """A provider's *confirm forwarding* mail: posted on the journal for the administrators, code in sight."""
        self.ensure_one()
        admins = (
            self.env.ref("base.group_system")
            .sudo()
            .users.filtered(lambda u: u.active and not u._is_public() and self.company_id in u.company_ids)
        )
        body = Markup("<p>%s</p><p><strong>%s</strong></p>") % (
            _(
                "%(provider)s asks to confirm that mail may be forwarded to %(address)s (%(subject)s). "
                "Confirmation code:",
                provider=confirmation.provider,
                address=address,
                subject=subject,
            ),
            confirmation.code or _("(no code found: see the mail)"),
        )
        if confirmation.link:
            body += Markup('<p><a href="%s">%s</a></p>') % (confirmation.link, escape(confirmation.link))
        return self.sudo().message_post(
            body=body,
            subject=_("Forwarding confirmation code"),
            partner_ids=admins.partner_id.ids,
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
