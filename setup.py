"""Installs the extraction engine and its ``invoice-import`` command.

Odoo is not installed from here (it is not on the package index); the
addons are found by Odoo through its ``addons_path``.  The Debian packages
the engine needs (tesseract, poppler) are installed by ``./install.sh``.
"""

from setuptools import find_packages, setup

setup(
    name="invoice-import-suite",
    version="18.0.1.0.0",
    description="Supplier invoices from email into Odoo 18 purchasing and accounting; Xero and QuickBooks sync",
    packages=find_packages(include=["invoice_import", "invoice_import.engine", "invoice_import.engine.*"]),
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
    ],
    extras_require={
        "test": ["pytest>=7", "reportlab>=4.0", "ruff"],
    },
    entry_points={"console_scripts": ["invoice-import=invoice_import.engine.cli:main"]},
)
