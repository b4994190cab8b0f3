# ruff: noqa: F401 - Odoo finds the tests through these imports
from . import test_binder, test_connection, test_tax_map, test_token_store
