"""A customer's receivable figures: amount due, amount overdue, average payment delay.

Odoo 18 community already has ``credit`` (*Total Receivable*) and
``days_sales_outstanding`` on the partner, but both are restricted to
billing users and neither says what is overdue or how late the customer
pays (``total_due``/``total_overdue`` belong to Enterprise's follow-up).
These figures are computed with the reader's own access rights, so a user
who only sees the invoices of their own customers (*Receivables import:
own customers*) gets figures for those customers and zero elsewhere.

- **Amount due**: Odoo's own *Total Receivable* definition: the residual of
  posted, unreconciled receivable journal items of the customer (invoices
  less payments and credit notes not yet applied).
- **Amount overdue**: the residual of the posted receivable items that
  carry a debt (invoice installments) whose due date is past.
- **Average payment delay**: days from the invoice date to the payment,
  for each payment reconciled with a posted customer invoice, weighted by
  the amount paid; credit notes applied to an invoice are not payments.
"""

from collections import defaultdict

from odoo import api, fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    invoice_import_amount_due = fields.Monetary(
        "Amount Due",
        compute="_compute_invoice_import_receivable",
        currency_field="currency_id",
        help="What this customer owes: posted receivable items not yet reconciled (Odoo's Total Receivable).",
    )
    invoice_import_amount_overdue = fields.Monetary(
        "Amount Overdue",
        compute="_compute_invoice_import_receivable",
        currency_field="currency_id",
        help="The part of the amount due on invoices whose due date is past.",
    )
    invoice_import_payment_delay = fields.Float(
        "Average Payment Delay (Days)",
        compute="_compute_invoice_import_receivable",
        digits=(16, 1),
        help="Days from the invoice date to the payment, averaged over the payments of posted invoices, "
        "weighted by the amount paid.",
    )

    @api.depends_context("company", "uid")
    def _compute_invoice_import_receivable(self):
        commercial = self.commercial_partner_id
        due, overdue, delay = defaultdict(float), defaultdict(float), {}
        if commercial.ids:
            Line = self.env["account.move.line"]
            base = [
                ("partner_id", "in", commercial.ids),
                ("parent_state", "=", "posted"),
                ("account_id.account_type", "=", "asset_receivable"),
                ("reconciled", "=", False),
                ("company_id", "child_of", self.env.company.root_id.id),
            ]
            for partner, amount in Line._read_group(base, ["partner_id"], ["amount_residual:sum"]):
                due[partner.id] = amount
            today = fields.Date.context_today(self)
            late = base + [("date_maturity", "<", today), ("balance", ">", 0)]
            for partner, amount in Line._read_group(late, ["partner_id"], ["amount_residual:sum"]):
                overdue[partner.id] = amount
            delay = self._invoice_import_payment_delays(commercial)
        for partner in self:
            key = partner.commercial_partner_id.id
            partner.invoice_import_amount_due = due[key]
            partner.invoice_import_amount_overdue = overdue[key]
            partner.invoice_import_payment_delay = delay.get(key, 0.0)

    def _invoice_import_payment_delays(self, commercial):
        """Per commercial partner id, the amount-weighted days between invoice date and payment."""
        partials = self.env["account.partial.reconcile"].search(
            [
                ("debit_move_id.partner_id", "in", commercial.ids),
                ("debit_move_id.move_id.move_type", "=", "out_invoice"),
                ("debit_move_id.parent_state", "=", "posted"),
                ("debit_move_id.account_id.account_type", "=", "asset_receivable"),
                ("credit_move_id.move_id.move_type", "=", "entry"),
                ("company_id", "child_of", self.env.company.root_id.id),
            ]
        )
        weighted, paid = defaultdict(float), defaultdict(float)
        for partial in partials:
            invoice = partial.debit_move_id.move_id
            days = (partial.max_date - (invoice.invoice_date or invoice.date)).days
            key = partial.debit_move_id.partner_id.id
            weighted[key] += days * partial.amount
            paid[key] += partial.amount
        return {key: round(weighted[key] / paid[key], 1) for key in paid if paid[key]}
