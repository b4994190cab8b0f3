"""Where each value was read: the import of a PDF keeps the boxes of its words, and its pages are shown.

The engine locates the values (tests/engine/test_provenance.py); here the
path through Odoo: the stored pivot carries ``locations``, the form's field
lists the located fields with their boxes, and the page images are
rendered once in the reader process and kept as the document's hidden
attachments, which a user without access to the document cannot read.
"""

import json

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import InvoiceImportCommon, sample_bytes
from .mail_common import invoice_pdf


@tagged("post_install", "-at_install")
class TestPageView(InvoiceImportCommon):
    def test_a_pdf_import_stores_where_its_number_and_total_were_read(self):
        bill = self.upload(("GL-P001.pdf", invoice_pdf("GL-P001")))
        document = bill.invoice_import_document_id
        self.assertEqual(document.invoice_number, "GL-P001")
        locations = json.loads(document.pivot_json)["locations"]
        for key in ("invoice_number", "amount_total"):
            [spot] = locations[key]
            x0, top, x1, bottom = spot["box"]
            self.assertEqual(spot["page"], 0)
            self.assertTrue(0 <= x0 < x1 <= 1 and 0 <= top < bottom <= 1, spot)
        # text_pdf prints the lines top down from 800 pt on an A4 page: the total is below the number
        self.assertGreater(locations["amount_total"][0]["box"][1], locations["invoice_number"][0]["box"][3])

        rows = {row["key"]: row for row in document.page_view["fields"]}
        self.assertEqual(rows["invoice_number"]["label"], "Invoice number")
        self.assertEqual(rows["invoice_number"]["spots"], locations["invoice_number"])
        self.assertEqual(document.located_count, sum(1 for row in rows.values() if row["spots"]))
        self.assertEqual(bill.invoice_import_page_view, document.page_view)

    def test_the_pages_are_rendered_once_and_kept_out_of_sight(self):
        bill = self.upload(("GL-P002.pdf", invoice_pdf("GL-P002")))
        document = bill.invoice_import_document_id
        urls = document.invoice_import_page_images()
        self.assertEqual(len(urls), 1)
        pages = self.env["ir.attachment"].search(
            [("res_model", "=", document._name), ("res_id", "=", document.id), ("res_field", "=", "page_view")]
        )
        self.assertEqual(len(pages), 1)
        self.assertEqual(pages.mimetype, "image/png")
        self.assertTrue(pages.raw.startswith(b"\x89PNG"))
        self.assertIn(f"/web/image/{pages.id}", urls[0])
        self.assertEqual(document.invoice_import_page_images(), urls)  # kept, not rendered again
        self.assertEqual(bill.invoice_import_page_images(), urls)
        # the chatter's files are the supplier's, not these
        self.assertNotIn(pages, self.env["ir.attachment"].search([("res_model", "=", document._name)]))

    def test_a_user_without_access_to_the_document_gets_no_page(self):
        bill = self.upload(("GL-P003.pdf", invoice_pdf("GL-P003")))
        document = bill.invoice_import_document_id
        document.invoice_import_page_images()
        outsider = self._create_user("Otto Outsider", "otto.outsider", "otto@example.com", "base.group_user")
        with self.assertRaises(AccessError):
            document.with_user(outsider).invoice_import_page_images()

    def test_a_csv_import_has_no_page(self):
        bills = self.upload(("acme_invoices.csv", sample_bytes("acme_invoices.csv")))
        documents = self.documents(bills)
        self.assertTrue(documents)
        self.assertFalse(any(documents.mapped("page_view")))
        self.assertEqual(documents[0].invoice_import_page_images(), [])
