# ruff: noqa: F401 - Odoo loads the package's modules through these imports
from . import account_move, invoice_import_job_type
