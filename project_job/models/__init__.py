# ruff: noqa: F401 - Odoo loads the package's modules through these imports
from . import invoice_import_job_type, project_task, purchase_order, purchase_order_line
