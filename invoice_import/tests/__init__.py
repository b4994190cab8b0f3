# ruff: noqa: F401 - Odoo loads the package's modules through these imports
from . import (
    test_bill_import,
    test_duplicates,
    test_format_try,
    test_invoice_import_format,
    test_invoice_import_sender,
    test_mail_alias,
    test_mail_connect,
    test_mail_intake,
    test_matching_job,
    test_matching_po,
    test_matching_rematch,
    test_matching_speed,
    test_number_lock,
    test_ocr_queue,
    test_security,
    test_views,
)
