"""Hostile files at Odoo's entry points: each is read in the reader process, never in the worker's thread.

The files are built here, a few hundred bytes each (the engine's own
hostile tests, with many more, are in ``tests/engine/test_hostile.py``).
"""

import base64
import json
import struct
import time
import zlib
from unittest.mock import patch

from odoo.tests import tagged

from ..models import bill_import
from .common import InvoiceImportCommon, text_pdf

TEXT = b"BT /F1 12 Tf 72 720 Td (Invoice number: INV-1  Total due 10.00 EUR) Tj ET"


def raw_pdf(objects, trailer=b""):
    """Numbered objects (object i+1 is ``objects[i]``) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, xref)
    return bytes(out)


def one_page_pdf(catalog_extra, *more_objects):
    """A one-page text PDF (objects 1-5); ``more_objects`` are numbered from 6."""
    return raw_pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R " + catalog_extra + b" >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
            b"/Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(TEXT) + TEXT + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *more_objects,
        ]
    )


def name_tree_listing_itself_twice():
    return one_page_pdf(b"/Names << /EmbeddedFiles 6 0 R >>", b"<< /Kids [6 0 R 6 0 R] >>")


def page_labels_forty_levels_twice():
    levels = [b"<< /Kids [%d 0 R %d 0 R] >>" % (7 + level, 7 + level) for level in range(40)]
    return one_page_pdf(b"/PageLabels 6 0 R", *levels, b"<< /Nums [0 << /S /D >>] >>")


def png(width, height):
    """A gray PNG, white but for a dark pixel every 97."""
    row = bytes(0 if x % 97 == 0 else 255 for x in range(width))
    raw = b"".join(b"\x00" + row for _ in range(height))

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


@tagged("post_install", "-at_install")
class TestHostileFiles(InvoiceImportCommon):
    def test_a_name_tree_listing_itself_twice_is_read(self):
        started = time.monotonic()
        bill = self.upload(("invoice.pdf", name_tree_listing_itself_twice()))
        self.assertLess(time.monotonic() - started, 30)  # it spun for good in the mail gateway's thread
        self.assertEqual(bill.ref, "INV-1")
        self.assertNotEqual(bill.invoice_import_document_id.state, "failed")

    def test_a_structure_a_library_would_walk_2_to_the_40_times_fails_cleanly(self):
        bill = self.upload(("invoice.pdf", page_labels_forty_levels_twice()))
        document = bill.invoice_import_document_id
        self.assertEqual((document.state, document.error_code), ("failed", "corrupt_pdf"))
        self.assertIn("page labels", document.error_message)

    def test_a_loop_no_cap_catches_is_stopped_and_the_file_kept(self):
        # A supplier's template whose regex backtracks without end: Python's re cannot be interrupted,
        # only the reader process's alarm stops it (cut to 1 s here from the intake's 60).
        supplier = self.env["res.partner"].create({"name": "Trap Supplies"})
        supplier.invoice_import_format_id = self.env["invoice.import.format"].create(
            {
                "definition": json.dumps(
                    {"name": "trap", "kind": "pdf", "keywords": ["Invoice"], "fields": {"invoice_number": "(a+)+X"}}
                )
            }
        )
        self.env["invoice.import.sender"].create({"email": "@trap.example", "partner_id": supplier.id})
        content = text_pdf(["Invoice number: T-1", "a" * 60 + "!", "Total due 10.00 EUR"])
        started = time.monotonic()
        with patch.object(bill_import, "INTAKE_SECONDS", 1):
            bill = self.upload(("invoice.pdf", content), sender="billing@trap.example")
        self.assertLess(time.monotonic() - started, 20)
        document = bill.invoice_import_document_id
        self.assertEqual((document.state, document.error_code), ("failed", "timeout"))
        self.assertEqual(document.attachment_id.raw, content)

    def test_try_on_a_file_of_absurd_shape_shows_an_error(self):
        # a 1,000,000 x 1 PNG: the deskew asked for 94 GB and the wizard raised MemoryError
        action = self.acme_format.action_try_on_file()
        wizard = (
            self.env["invoice.import.format.try"]
            .with_context(action["context"])
            .create({"file": base64.b64encode(png(1_000_000, 1)), "filename": "scan.png"})
        )
        self.assertTrue(wizard.error.startswith("The image has more pixels than the configured cap: "), wizard.error)
        self.assertEqual(wizard.invoice_count, 0)
