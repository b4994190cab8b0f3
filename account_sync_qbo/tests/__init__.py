# ruff: noqa: F401 - Odoo loads the package's modules through these imports
from . import (
    test_browser_tours,
    test_qbo_callback,
    test_qbo_features,
    test_qbo_flow,
    test_qbo_migration,
    test_qbo_rules,
    test_qbo_settings,
)
