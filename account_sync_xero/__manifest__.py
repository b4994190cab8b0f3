{
    "name": "Accounting Sync: Xero",
    "summary": "Two-way sync of customers, invoices, bills and payments with Xero",
    "version": "18.0.0.3.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Invoice Import Suite",
    "depends": ["account_sync"],
    "external_dependencies": {"python": ["xero_python"]},
    "data": ["views/res_config_settings_views.xml"],
    "assets": {"web.assets_tests": ["account_sync_xero/static/tests/tours/**/*"]},
    "installable": True,
}
