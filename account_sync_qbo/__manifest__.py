{
    "name": "Accounting Sync: QuickBooks Online",
    "summary": "Two-way sync of customers, invoices, bills and payments with QuickBooks Online (skeleton)",
    "version": "18.0.0.0.1",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Invoice Import Suite",
    "depends": ["account"],
    "data": [],
    "installable": True,
}
