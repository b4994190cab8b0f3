# ruff: noqa: F401 - Odoo finds the tests through these imports
from . import test_job_income_accounts
