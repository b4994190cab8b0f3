"""Partners, journal entries and payments show their sync state, remote id and last error."""

from odoo import fields, models

from account_sync.engine.mapping import IncomeAccounts


class AccountMove(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "account.sync.bound"]
    _account_sync_track_writes = True

    def _account_sync_job_income_accounts(self, connection):
        """The remote labour/materials income accounts of the job this invoice bills, if any.

        The base knows no jobs; a bridge addon that does (``account_sync_job``) overrides this, so the
        resolution order (product, then job type, then the defaults) stays in one place, the engine's
        ``income_account``.
        """
        return IncomeAccounts()

    def _account_sync_job_reference(self, what):
        """The invoice's job's site address (``what`` "site") or client work order ("work_order"); the base
        knows no jobs, the bridge ``account_sync_job`` does."""
        return ""


class AccountPayment(models.Model):
    _name = "account.payment"
    _inherit = ["account.payment", "account.sync.bound"]
    _account_sync_track_writes = True


class ResPartner(models.Model):
    _name = "res.partner"
    _inherit = ["res.partner", "account.sync.bound"]

    def action_account_sync_import(self):
        """Contacts menu: the customer import stays available after the first connection."""
        connection = self.env["account.sync.connection"]._for_company()
        return connection.action_open_import_wizard()


class ProductTemplate(models.Model):
    _inherit = "product.template"

    account_sync_income_account_id = fields.Many2one(
        "account.sync.remote.account",
        string="Remote income account",
        company_dependent=True,
        domain="[('kind', '=', 'account'), ('connection_id.company_id', '=', current_company_id)]",
        help="Overrides the labour/materials income account when invoices are pushed to the accounting package",
    )
