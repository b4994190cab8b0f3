# ruff: noqa: F401 - Odoo loads the package's modules through these imports
from . import (
    account_journal_mail,
    account_move,
    account_move_mail,
    fetchmail_server,
    invoice_import_document,
    invoice_import_format,
    invoice_import_mail,
    invoice_import_sender,
    ir_attachment,
    res_company,
    res_company_mail,
    res_config_settings,
    res_config_settings_mail,
    res_partner,
)
