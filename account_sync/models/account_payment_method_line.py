"""What kind of payment a journal's payment method takes, as the accounting sync needs to know it."""

from odoo import fields, models


class AccountPaymentMethodLine(models.Model):
    _inherit = "account.payment.method.line"

    account_sync_payment_kind = fields.Selection(
        [("other", "Bank, cash or cheque"), ("card", "Card")],
        string="Payment kind",
        default="other",
        required=True,
        help="Card payments are pushed to the accounting package's credit card account (QuickBooks: with its "
        "credit card payment method); the others to the payments account",
    )
