# ruff: noqa: F401 - Odoo loads the package's modules through these imports
from . import account_sync_connection, res_config_settings
