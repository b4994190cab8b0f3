"""A job is a project task: its number, type, site and the client's work order, and what its suppliers billed.

The job's purchase orders point to it (``purchase.order.job_task_id``) and
take its project, so ``project_purchase`` gives their lines the project's
analytic distribution; the bills matched to them carry it, and Odoo's own
project profitability shows the cost.
"""

from odoo import _, api, fields, models


class ProjectTask(models.Model):
    _inherit = "project.task"

    job_number = fields.Char(copy=False, readonly=True, index="btree_not_null")
    job_type_id = fields.Many2one("invoice.import.job.type", "Job Type")
    job_site_address = fields.Text("Site Address")
    job_client_work_order = fields.Char("Client Work Order", index="btree_not_null")
    job_purchase_order_ids = fields.One2many("purchase.order", "job_task_id", "Purchase Orders")
    job_supplier_bill_count = fields.Integer(compute="_compute_job_supplier_bills")
    job_ordered_amount = fields.Monetary(compute="_compute_job_supplier_bills", currency_field="job_currency_id")
    job_billed_amount = fields.Monetary(compute="_compute_job_supplier_bills", currency_field="job_currency_id")
    job_currency_id = fields.Many2one("res.currency", compute="_compute_job_currency_id")

    _sql_constraints = [
        ("job_number_uniq", "unique(job_number, company_id)", "Job numbers are unique per company."),
    ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("job_number"):
                vals["job_number"] = self.env["ir.sequence"].next_by_code("invoice_import.job")
        return super().create(vals_list)

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_job_currency_id(self):
        # A project, and so its tasks, may belong to no company: the job's amounts are then in the current
        # company's currency, the one its purchase lines' billed amounts are kept in.
        for task in self:
            task.job_currency_id = (task.company_id or self.env.company).currency_id

    def _job_purchase_lines(self):
        return self.job_purchase_order_ids.order_line.filtered(lambda line: not line.display_type)

    @api.depends("job_purchase_order_ids.order_line.invoice_lines.parent_state")
    def _compute_job_supplier_bills(self):
        for task in self:
            lines = task._job_purchase_lines()
            task.job_supplier_bill_count = len(lines.invoice_lines.move_id)
            task.job_ordered_amount = sum(
                line.currency_id._convert(
                    line.price_subtotal, task.job_currency_id, task.company_id or self.env.company
                )
                for line in lines
            )
            task.job_billed_amount = sum(lines.mapped("job_billed_amount"))

    def action_job_supplier_bills(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("account.action_move_in_invoice_type")
        action["domain"] = [("id", "in", self._job_purchase_lines().invoice_lines.move_id.ids)]
        action["context"] = {"default_move_type": "in_invoice", "create": False}
        return action

    def action_job_ordered_vs_billed(self):
        """Per supplier and per line: ordered, received, billed."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Ordered vs Billed: %s", self.display_name),
            "res_model": "purchase.order.line",
            "view_mode": "list",
            "views": [(self.env.ref("invoice_import.purchase_order_line_view_list_job").id, "list")],
            "domain": [("id", "in", self._job_purchase_lines().ids)],
            "context": {"group_by": ["partner_id"], "create": False},
        }
