# ruff: noqa: F401 - Odoo loads the package's modules through these imports
from . import test_browser_tours, test_hooks, test_job
