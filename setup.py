"""Installs the extraction engine and its ``invoice-import`` command.

Odoo is not installed from here (it is not on the package index); the
addons are found by Odoo through its ``addons_path``.  The Debian packages
the engine needs (tesseract, poppler) are installed by ``./install.sh``.
"""

from setuptools import find_packages, setup

# Only the Odoo-free engines are Python packages; the ORM layers are loaded by Odoo.
ADDONS_WITH_ENGINE = ("invoice_import", "account_sync", "account_sync_xero", "account_sync_qbo")

setup(
    name="invoice-import-suite",
    version="18.0.1.0.0",
    description="Supplier invoices from email into Odoo 18 purchasing and accounting; Xero and QuickBooks sync",
    packages=find_packages(
        include=[f"{addon}{sub}" for addon in ADDONS_WITH_ENGINE for sub in ("", ".engine", ".engine.*")]
    ),
    package_dir={"": "."},
    python_requires=">=3.10",
    install_requires=[
        "pdfplumber>=0.11,<0.12",  # pdf.py caps layout work through two of its internals
        "pypdf>=7.0",  # caps its own xref/object-stream decoding
        "pytesseract>=0.3.10",
        "Pillow>=10.0",
        "phonenumbers>=8.13",
        "lxml>=4.9",
        "defusedxml>=0.7",
        "charset-normalizer>=3.0",
        "numpy>=1.24",  # page cleaning before OCR (deskew, Otsu threshold)
        "python-stdnum>=1.19",  # VAT, company id and IBAN check digits; Odoo 18 pins 1.19
        "pillow-heif>=0.18",  # HEIC phone photos (0.22 is the last for Odoo 18's Pillow 10.2)
        # accounting sync clients (account_sync*/engine)
        "xero-python>=15.2,<16",
        "python-quickbooks>=0.9.12,<0.10",
        "intuit-oauth>=1.2.6,<2",
        "urllib3>=2",  # the Xero client tunes the SDK's own retry policy
    ],
    extras_require={
        "test": [
            "pytest>=7",
            "reportlab>=4.0",
            "weasyprint>=60",  # bench/html_invoices.py --engine weasyprint prints its HTML pages as those suppliers do
            "ruff",
            # the local fake Xero and QuickBooks servers validate against the vendors' specs
            "openapi-core>=0.19,<0.24",
            "xmlschema>=3.0,<5",
            "PyYAML>=6",
            "python-dateutil>=2.8",
        ],
    },
    entry_points={"console_scripts": ["invoice-import=invoice_import.engine.cli:main"]},
)
