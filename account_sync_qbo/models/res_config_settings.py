"""Settings → Accounts integration, QuickBooks: the app's credentials and environment, and QuickBooks' own
settings (shown when QuickBooks is the package).

The app's client id, secret and environment are the system parameters ``account_sync_qbo.client_id`` /
``.client_secret`` / ``.environment``, where the connection has always read them: a database set up by hand
keeps working, and only administrators (who alone may read system parameters and open the settings) see them.
"""

from odoo import api, fields, models
from odoo.addons.account_sync.models.res_config_settings import app_fields

from .account_sync_connection import CALLBACK_PATH, PARAM

ENVIRONMENTS = [("production", "Production"), ("sandbox", "Sandbox (development keys)")]


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    account_sync_qbo_client_id, account_sync_qbo_client_secret, account_sync_qbo_redirect_uri = app_fields(
        "account_sync_qbo", "QuickBooks", PARAM, CALLBACK_PATH
    )
    account_sync_qbo_environment = fields.Selection(
        ENVIRONMENTS,
        string="QuickBooks environment",
        groups="base.group_system",
        help="Sandbox with the app's development keys, Production with its production keys",
    )

    account_sync_qbo_lead_source_definition = fields.Selection(
        related="account_sync_connection_id.qbo_lead_source_definition", readonly=False
    )
    account_sync_qbo_lead_source_name = fields.Char(
        related="account_sync_connection_id.qbo_lead_source_name", readonly=False
    )
    account_sync_qbo_accept_credit_cards = fields.Boolean(
        related="account_sync_connection_id.qbo_accept_credit_cards", readonly=False
    )
    account_sync_qbo_deposit_account_id = fields.Many2one(
        related="account_sync_connection_id.qbo_deposit_account_id",
        readonly=False,
        domain="[('connection_id', '=', account_sync_connection_id), ('kind', '=', 'account'),"
        " ('category', 'in', ['bank', 'asset'])]",
    )

    @api.model
    def get_values(self):
        """The environment as stored; empty means production (the connection's default). Another value (a
        discovery document URL that a technical user set, as the tests do) shows no choice and is kept."""
        values = super().get_values()
        stored = self.env["ir.config_parameter"].sudo().get_param(PARAM + "environment") or "production"
        values["account_sync_qbo_environment"] = stored if stored in dict(ENVIRONMENTS) else False
        return values

    def set_values(self):
        super().set_values()
        if self.env.is_admin() and self.account_sync_qbo_environment:
            self.env["ir.config_parameter"].sudo().set_param(PARAM + "environment", self.account_sync_qbo_environment)
