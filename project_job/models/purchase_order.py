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
