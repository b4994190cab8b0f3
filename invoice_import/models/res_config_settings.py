from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    invoice_import_assignee_ids = fields.Many2many(
        related="company_id.invoice_import_assignee_ids",
        readonly=False,
    )
