{
    "name": "Accounting Sync: QuickBooks Online",
    "summary": "Two-way sync of customers, invoices, bills and payments with QuickBooks Online",
    "version": "18.0.0.1.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Invoice Import Suite",
    "depends": ["account_sync"],
    "external_dependencies": {"python": ["quickbooks", "intuitlib"]},
    "data": [],
    "installable": True,
}
