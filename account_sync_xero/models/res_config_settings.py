"""Settings → Accounts integration: the Xero app's credentials, kept where the connection has always read them.

The client id and secret are the system parameters ``account_sync_xero.client_id`` / ``.client_secret``: a
database set up by hand before these fields existed keeps working, and only administrators (who alone may
read system parameters and open the settings) see or change them.
"""

from odoo import models
from odoo.addons.account_sync.models.res_config_settings import app_fields

from .account_sync_connection import CALLBACK_PATH, PARAM


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    account_sync_xero_client_id, account_sync_xero_client_secret, account_sync_xero_redirect_uri = app_fields(
        "account_sync_xero", "Xero", PARAM, CALLBACK_PATH
    )
