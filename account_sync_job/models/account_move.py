"""The job a customer invoice bills, and its job type's income accounts for the sync.

An invoice names its job in the source document (the "Job number" reference of the sync settings), so
the job is found from ``invoice_origin`` unless someone picks it by hand.
"""

from odoo import api, fields, models

from account_sync.engine.mapping import IncomeAccounts


class AccountMove(models.Model):
    _inherit = "account.move"

    job_task_id = fields.Many2one(
        "project.task",
        "Job",
        compute="_compute_job_task_id",
        store=True,
        readonly=False,
        index="btree_not_null",
        check_company=True,
        help="Found from the source document (the job number); its job type chooses the income accounts",
    )

    @api.depends("invoice_origin", "company_id")
    def _compute_job_task_id(self):
        sales = self.filtered(lambda m: m.is_sale_document(include_receipts=True) and m.invoice_origin)
        numbers = set(sales.mapped("invoice_origin"))
        tasks = self.env["project.task"].search([("job_number", "in", list(numbers))]) if numbers else []
        by_number = {(t.job_number, t.company_id.id): t for t in tasks}
        for move in self:
            found = None
            if move in sales:  # a job of the invoice's company, else one shared between companies
                number = move.invoice_origin
                found = by_number.get((number, move.company_id.id)) or by_number.get((number, False))
            move.job_task_id = found or move.job_task_id  # a job picked by hand stays

    def _account_sync_job_reference(self, what):
        job = self.job_task_id
        if what == "site":
            lines = (job.job_site_address or "").splitlines()
            return ", ".join(line.strip() for line in lines if line.strip())
        if what == "work_order":
            return job.job_client_work_order or ""
        return super()._account_sync_job_reference(what)

    def _account_sync_job_income_accounts(self, connection):
        job_type = self.job_task_id.job_type_id.with_company(connection.company_id)
        accounts = [job_type.account_sync_labour_income_account_id, job_type.account_sync_materials_income_account_id]
        labour, materials = (a.code if a and a.connection_id == connection else "" for a in accounts)
        return IncomeAccounts(labour or "", materials or "")
