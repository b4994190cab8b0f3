# ruff: noqa: F401 - Odoo loads the package's modules through these imports
from . import invoice_import_attach, invoice_import_format_try, invoice_import_format_upload, invoice_import_upload
