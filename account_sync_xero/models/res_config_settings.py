"""Settings → Accounts integration: the Xero app's credentials, kept where the connection has always read them.

The client id and secret are the system parameters ``account_sync_xero.client_id`` / ``.client_secret``: a
database set up by hand before these fields existed keeps working, and only administrators (who alone may
read system parameters and open the settings) see or change them.
"""

from odoo import api, fields, models

from .account_sync_connection import CALLBACK_PATH, PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    account_sync_xero_client_id = fields.Char(
        "Xero client id", config_parameter=PARAM + "client_id", groups="base.group_system"
    )
    account_sync_xero_client_secret = fields.Char(
        "Xero client secret", config_parameter=PARAM + "client_secret", groups="base.group_system"
    )
    account_sync_xero_redirect_uri = fields.Char(
        "Xero redirect URI", compute="_compute_account_sync_xero_redirect_uri", groups="base.group_system"
    )

    @api.depends("company_id")
    def _compute_account_sync_xero_redirect_uri(self):
        """What to register as the app's redirect URI at developer.xero.com (the callback Connect uses)."""
        for settings in self:
            settings.account_sync_xero_redirect_uri = settings._account_sync_redirect_uri(PARAM, CALLBACK_PATH)
