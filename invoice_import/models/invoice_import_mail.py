"""The log of mails taken from a supplier invoice inbox: one row per mail, however often it is delivered.

It is written in the same transaction as the bill or the failed document
the mail became, so its presence means *this mail is dealt with*: the fetch
loop skips (and then removes from the server) any mail whose key it finds,
which makes a mail fetched again -- after a crash between commit and
removal, or delivered twice -- give one bill.
"""

from odoo import fields, models

from ..engine.states import MAIL_STATE_LABELS, selection
from ..engine.states import MAIL_STATES as ENGINE_MAIL_STATES

MAIL_STATES = selection(ENGINE_MAIL_STATES, MAIL_STATE_LABELS)


class InvoiceImportMail(models.Model):
    _name = "invoice.import.mail"
    _description = "Mail Received on a Supplier Invoice Inbox"
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char("Subject")
    server_id = fields.Many2one("fetchmail.server", "Inbox", ondelete="set null", index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    message_key = fields.Char(required=True, help="The mail's Message-Id, else a hash of its content.")
    files_digest = fields.Char(
        help="A digest of the files the mail carried: another mail with its Message-Id but "
        "other files is reported, not taken for this one."
    )
    sender_email = fields.Char("Sender")
    size = fields.Integer("Size (bytes)")
    state = fields.Selection(MAIL_STATES, required=True)
    move_id = fields.Many2one("account.move", "Bill", ondelete="set null", check_company=True)
    document_id = fields.Many2one("invoice.import.document", "Failed Document", ondelete="set null")

    _sql_constraints = [
        ("message_key_company_uniq", "unique(company_id, message_key)", "This mail was already received."),
    ]
