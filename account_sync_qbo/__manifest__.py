{
    "name": "Accounting Sync: QuickBooks Online",
    "summary": "Two-way sync of customers, invoices, bills and payments with QuickBooks Online",
    "version": "18.0.0.4.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Invoice Import Suite",
    "depends": ["account_sync", "utm"],
    "external_dependencies": {"python": ["quickbooks", "intuitlib"]},
    "data": [
        "views/account_sync_connection_views.xml",
        "views/res_config_settings_views.xml",
        "views/res_partner_views.xml",
    ],
    "assets": {"web.assets_tests": ["account_sync_qbo/static/tests/tours/**/*"]},
    "installable": True,
}
