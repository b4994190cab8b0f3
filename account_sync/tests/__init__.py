# ruff: noqa: F401 - Odoo finds the tests through these imports
from . import test_connection, test_token_store
