"""The kind of a job (a project task): which income accounts its labour and materials go to.

The accounting sync reads these when it sends a job's sales to Xero or
QuickBooks; nothing in this addon posts to them.

The model keeps the name it had in ``invoice_import``, where jobs were
born: its table, its records and every reference to them stay as they are.
"""

from odoo import fields, models


class InvoiceImportJobType(models.Model):
    _name = "invoice.import.job.type"
    _description = "Job Type"
    _order = "sequence, name"
    _check_company_auto = True

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, index=True)
    labour_income_account_id = fields.Many2one(
        "account.account", "Labour Income Account", check_company=True, domain="[('account_type', 'like', 'income')]"
    )
    materials_income_account_id = fields.Many2one(
        "account.account", "Materials Income Account", check_company=True, domain="[('account_type', 'like', 'income')]"
    )
