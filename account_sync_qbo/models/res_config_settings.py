"""Settings → Accounts integration, QuickBooks' own settings (shown when QuickBooks is the package)."""

from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

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
