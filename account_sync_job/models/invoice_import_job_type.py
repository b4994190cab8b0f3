"""A job type's remote income accounts, per company like the product's override."""

from odoo import fields, models

DOMAIN = (
    "[('kind', '=', 'account'), ('active', '=', True), ('category', '=', 'revenue'),"
    " ('connection_id.company_id', '=', current_company_id)]"
)


class InvoiceImportJobType(models.Model):
    _inherit = "invoice.import.job.type"

    account_sync_labour_income_account_id = fields.Many2one(
        "account.sync.remote.account",
        "Remote labour income",
        company_dependent=True,
        domain=DOMAIN,
        help="Labour (service) lines of this type's jobs go to this account of the accounting package",
    )
    account_sync_materials_income_account_id = fields.Many2one(
        "account.sync.remote.account",
        "Remote materials income",
        company_dependent=True,
        domain=DOMAIN,
        help="Materials (goods) lines of this type's jobs go to this account of the accounting package",
    )
