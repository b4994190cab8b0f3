# ruff: noqa: F401 - Odoo loads the package's modules through these imports
from . import (
    account_payment_method_line,
    account_sync_binding,
    account_sync_bound_records,
    account_sync_connection,
    account_sync_log,
    account_sync_oauth_nonce,
    account_sync_provider,
    account_sync_remote_account,
    account_sync_surcharge,
    account_sync_tax_map,
    res_config_settings,
)
