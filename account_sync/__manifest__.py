{
    "name": "Accounting Sync (base)",
    "summary": "Shared base for two-way sync of customers, invoices, bills and payments with online ledgers",
    "version": "18.0.0.1.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Invoice Import Suite",
    "depends": ["account"],
    "data": [],
    "installable": True,
}
