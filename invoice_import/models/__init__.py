# ruff: noqa: F401 - Odoo loads the package's modules through these imports
from . import (
    account_move,
    invoice_import_document,
    invoice_import_format,
    invoice_import_sender,
    ir_attachment,
    res_company,
    res_config_settings,
    res_partner,
)
