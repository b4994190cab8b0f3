# ruff: noqa: F401 - Odoo finds the tests through these imports
from . import test_browser_tours, test_xero_flow, test_xero_security, test_xero_settings, test_xero_transactions
