"""A job is a project task: its number, type, site and the client's work order, and what its suppliers billed.

The job's purchase orders point to it (``purchase.order.job_task_id``) and
take its project, so ``project_purchase`` gives their lines the project's
analytic distribution; the bills matched to them carry it, and Odoo's own
project profitability shows the cost.

A task is numbered when it is created.  Tasks that existed before this
addon was installed have no number, and the number is read-only on screen:
*Assign Job Number* (a button on the task, an action on the task list)
numbers them on demand, not all at once, since most old tasks are no jobs.
"""

from odoo import _, api, fields, models

JOB_SEQUENCE_CODE = "invoice_import.job"  # the code kept from before the jobs had an addon of their own


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
                vals["job_number"] = self._job_next_number()
        return super().create(vals_list)

    def _job_next_number(self):
        return self.env["ir.sequence"].next_by_code(JOB_SEQUENCE_CODE)

    def action_assign_job_number(self):
        """Numbers the tasks that have no job number yet, oldest first; a task that has one keeps it."""
        for task in self.filtered(lambda t: not t.job_number).sorted("id"):
            task.job_number = self._job_next_number()
        return True

    @api.depends("company_id")
    @api.depends_context("company")
    def _compute_job_currency_id(self):
        # A project, and so its tasks, may belong to no company: the job's amounts are then in the current
        # company's currency, the one its purchase lines' billed amounts are kept in.
        for task in self:
            task.job_currency_id = (task.company_id or self.env.company).currency_id

    def _job_purchase_lines(self):
        return self.job_purchase_order_ids.order_line.filtered(lambda line: not line.display_type)

    @api.depends(
        "job_purchase_order_ids.order_line.invoice_lines.parent_state",
        "job_purchase_order_ids.order_line.job_billed_amount",
        "job_purchase_order_ids.order_line.job_ordered_amount",
        "job_currency_id",
    )
    @api.depends_context("company")
    def _compute_job_supplier_bills(self):
        for task in self:
            lines = task._job_purchase_lines()
            task.job_supplier_bill_count = len(lines.invoice_lines.move_id)
            task.job_ordered_amount = task._job_sum(lines, "job_ordered_amount")
            task.job_billed_amount = task._job_sum(lines, "job_billed_amount")

    def _job_sum(self, lines, field_name):
        """The sum of the lines' ``field_name``, each in its company's currency, in the job's currency.

        The lines' amounts are already converted at their documents' rates; a line of a company whose
        currency is not the job's (a job shared between companies) is converted again at its order's date.
        """
        company = self.company_id or self.env.company
        return sum(
            line.company_currency_id._convert(
                line[field_name], self.job_currency_id, company, line.order_id.date_order.date()
            )
            for line in lines
        )

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
            "views": [(self.env.ref("project_job.purchase_order_line_view_list_job").id, "list")],
            "domain": [("id", "in", self._job_purchase_lines().ids)],
            "context": {"group_by": ["partner_id"], "create": False},
        }
