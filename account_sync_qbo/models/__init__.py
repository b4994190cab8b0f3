# ruff: noqa: F401 - Odoo loads the package's modules through these imports
from . import account_sync_connection, account_sync_remote_account, res_config_settings, res_partner
