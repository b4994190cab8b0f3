{
    "name": "Supplier Invoice Import",
    "summary": "Supplier invoices from email (CSV, PDF, Factur-X/UBL, scans) into reviewable vendor bills",
    "version": "18.0.0.1.0",
    "category": "Accounting/Accounting",
    "license": "LGPL-3",
    "author": "Invoice Import Suite",
    "depends": ["account", "purchase", "mail"],
    "external_dependencies": {
        "python": ["pdfplumber", "pypdf", "pytesseract", "PIL", "phonenumbers", "lxml", "defusedxml"],
    },
    "data": [],
    "installable": True,
    "application": False,
}
