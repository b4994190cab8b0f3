"""What a job's purchase order line cost: ordered and billed, both in the company's currency.

Both amounts are converted at their own document's rate, as Odoo's accounting
does: the ordered amount at the order's (the rate of its order date, the one
the order's *Company Total* uses), the billed amount at each bill's (the
posted journal items' balance).  Converting at today's rate instead made a
fully billed foreign order look under- or over-billed as rates moved.
"""

from odoo import api, fields, models


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    job_billed_amount = fields.Monetary(
        "Billed Amount",
        compute="_compute_job_billed_amount",
        store=True,
        currency_field="company_currency_id",
        help="Untaxed amount of the posted vendor bill lines linked to this line, in the company's currency "
        "at each bill's rate.",
    )
    job_ordered_amount = fields.Monetary(
        "Ordered Amount",
        compute="_compute_job_billed_amount",
        store=True,
        currency_field="company_currency_id",
        help="Untaxed amount ordered, in the company's currency at the order's rate.",
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")

    def _job_analytic_distribution(self):
        """The job project's analytic account, for a line whose order names a job but carries no distribution.

        Returns ``{"<analytic account id>": 100}``, or False when the job's project has no analytic account.
        """
        account = self.order_id.job_task_id.project_id.account_id
        return {str(account.id): 100} if account else False

    @api.depends("invoice_lines.parent_state", "invoice_lines.balance", "price_subtotal", "order_id.currency_rate")
    def _compute_job_billed_amount(self):
        for line in self:
            posted = line.invoice_lines.filtered(lambda aml: aml.parent_state == "posted")
            line.job_billed_amount = sum(posted.mapped("balance"))
            line.job_ordered_amount = line._job_ordered_in_company_currency()

    def _job_ordered_in_company_currency(self):
        """The line's untaxed amount divided by its order's rate (order currency units per company unit)."""
        order = self.order_id
        if self.currency_id == self.company_currency_id:
            return self.price_subtotal
        if order.currency_rate:
            return self.company_currency_id.round(self.price_subtotal / order.currency_rate)
        return self.currency_id._convert(  # an order whose rate was never computed: its date's rate
            self.price_subtotal,
            self.company_currency_id,
            self.company_id,
            (order.date_order or fields.Datetime.now()).date(),
        )
