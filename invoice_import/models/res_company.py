from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    invoice_import_assignee_ids = fields.Many2many(
        "res.users",
        "invoice_import_assignee_rel",
        "company_id",
        "user_id",
        string="Failed Document Assignees",
        help="Users who get an activity for each imported document that needs a person: "
        "failed, duplicate, or read with low confidence.",
    )
