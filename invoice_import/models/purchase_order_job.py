"""A purchase order made for a job (a project task): it takes the job's project, hence its analytic distribution."""

from odoo import api, fields, models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    job_task_id = fields.Many2one("project.task", "Job", index="btree_not_null", check_company=True)

    @api.onchange("job_task_id")
    def _onchange_job_task_id(self):
        if self.job_task_id.project_id:
            self.project_id = self.job_task_id.project_id

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._job_project(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._job_project(vals)
        return super().write(vals)

    def _job_project(self, vals):
        """The job's project, unless one is given: project_purchase derives the lines' analytic distribution from it."""
        if vals.get("job_task_id") and not vals.get("project_id"):
            vals["project_id"] = self.env["project.task"].browse(vals["job_task_id"]).project_id.id


class PurchaseOrderLine(models.Model):
    _inherit = "purchase.order.line"

    job_billed_amount = fields.Monetary(
        "Billed Amount",
        compute="_compute_job_billed_amount",
        store=True,
        currency_field="company_currency_id",
        help="Untaxed amount of the posted vendor bill lines linked to this line, in the company's currency.",
    )
    job_ordered_amount = fields.Monetary(
        "Ordered Amount", compute="_compute_job_billed_amount", store=True, currency_field="company_currency_id"
    )
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company Currency")

    def _invoice_import_job_distribution(self):
        """The job project's analytic account, for a line whose order names a job but carries no distribution."""
        account = self.order_id.job_task_id.project_id.account_id
        return {str(account.id): 100} if account else False

    @api.depends("invoice_lines.parent_state", "invoice_lines.balance", "price_subtotal")
    def _compute_job_billed_amount(self):
        for line in self:
            posted = line.invoice_lines.filtered(lambda aml: aml.parent_state == "posted")
            line.job_billed_amount = sum(posted.mapped("balance"))
            line.job_ordered_amount = line.currency_id._convert(
                line.price_subtotal, line.company_currency_id, line.company_id
            )
