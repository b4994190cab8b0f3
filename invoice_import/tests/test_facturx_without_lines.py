"""Factur-X without line items (MINIMUM, BASIC WL), and the embedded XML read in the worker."""

from decimal import Decimal
from unittest.mock import patch

from odoo.tests import tagged

from ..models import bill_import
from .common import CORPUS, InvoiceImportCommon, corpus_pdf


@tagged("post_install", "-at_install")
class TestFacturxWithoutLines(InvoiceImportCommon):
    def basic_wl(self):
        content, expected = corpus_pdf("oca-edi__Facture_FR_BASICWL")
        if content is None:
            self.skipTest(f"shared corpus not found at {CORPUS}")
        self.env["res.partner"].create({"name": "Au bon moulin", "vat": expected["seller_vat"]})
        return content, expected

    def assert_one_line_per_rate(self, bill, expected):
        lines = bill.invoice_line_ids.sorted("price_unit")
        self.assertEqual(
            [(line.quantity, line.price_unit, line.tax_ids) for line in lines],
            [(1.0, 81.90, self.tax_20), (1.0, 543.00, self.tax_5_5)],
        )
        self.assertEqual(lines.mapped("name"), [f"{expected['invoice_number']}, VAT {rate} %" for rate in (20, 5.5)])
        self.assertAlmostEqual(bill.amount_untaxed, 624.90, places=2)
        self.assertAlmostEqual(bill.amount_tax, 46.25, places=2)
        self.assertAlmostEqual(bill.amount_total, float(expected["amount_total"]), places=2)
        warnings = bill.invoice_import_document_id.warnings
        self.assertIn("one line per VAT rate", warnings)
        self.assertNotIn("differs from the document's total", warnings)

    def test_a_mixed_rate_basic_wl_gets_one_line_per_vat_rate_and_the_documents_total(self):
        content, expected = self.basic_wl()
        # Odoo's loop hands the decoder the PDF's XML, already parsed: it is read in this worker
        with patch.object(bill_import, "extract_isolated", side_effect=AssertionError("read in the reader process")):
            bill = self.upload(("Facture_FR_BASICWL.pdf", content))
        self.assertEqual(bill.invoice_import_document_id.source, "embedded-xml")
        self.assertEqual(bill.invoice_import_document_id.attachment_id.raw, content)
        self.assert_one_line_per_rate(bill, expected)

    def test_an_xml_refused_in_the_worker_is_read_from_the_whole_file_as_before(self):
        content, expected = self.basic_wl()
        with patch.object(bill_import, "extract_einvoice_xml", side_effect=MemoryError):
            bill = self.upload(("Facture_FR_BASICWL.pdf", content))
        self.assertEqual(bill.invoice_import_document_id.source, "embedded-xml")
        self.assert_one_line_per_rate(bill, expected)

    def test_a_mixed_rate_minimum_keeps_one_line_and_says_the_total_differs(self):
        # MINIMUM states no VAT breakdown: nothing tells which part of the net total takes which rate
        content, expected = corpus_pdf("oca-edi__Facture_FR_MINIMUM")
        if content is None:
            self.skipTest(f"shared corpus not found at {CORPUS}")
        bill = self.upload(("Facture_FR_MINIMUM.pdf", content))
        self.assertEqual(len(bill.invoice_line_ids), 1)
        self.assertAlmostEqual(bill.amount_untaxed, 624.90, places=2)
        document = bill.invoice_import_document_id
        self.assertEqual(document.state, "to_review")
        self.assertIn("differs from the document's total", document.warnings)

    def test_the_lines_are_created_imported_and_marking_them_again_or_relinking_the_file_writes_nothing(self):
        # Odoo's loop marks the decoder's lines as imported and sets the bill's attachments once the decoder is
        # done; both find the bill as they leave it, and a write that changes nothing must not sync the bill
        content, expected = self.basic_wl()
        bill = self.upload(("Facture_FR_BASICWL.pdf", content))
        lines = bill.invoice_line_ids
        self.assertEqual(lines.mapped("is_imported"), [True, True])
        self.assertEqual(bill.attachment_ids.raw, content)
        self.env.flush_all()
        with self.assertQueryCount(0):
            lines.is_imported = True
            bill.attachment_ids |= bill.attachment_ids
        self.assert_one_line_per_rate(bill, expected)
        # a write that does change something still goes through
        lines.sorted("price_unit")[:1].is_imported = False
        self.assertEqual(lines.sorted("price_unit").mapped("is_imported"), [False, True])

    def test_the_tax_of_a_single_rate_comes_with_what_its_lines_read_of_it(self):
        # one rate, one tax: its repartition lines and their tags are read with the look-up, so that the bill's
        # lines and then its tax line (which read them again) ask nothing more of it
        bill = self.env["account.move"].create({"move_type": "in_invoice", "journal_id": self.journal.id})
        importer = bill_import.BillImport(bill, {"content": b"", "filename": "bill.pdf", "type": "pdf"}, False)
        self.env.invalidate_all()
        importer._load_taxes(bill, {Decimal("5.5")})
        tax, warning = importer._tax(bill, Decimal("5.5"))
        self.assertEqual((tax, warning), (self.tax_5_5, None))
        with self.assertQueryCount(0):
            repartition = tax.invoice_repartition_line_ids
            self.assertEqual(sorted(repartition.mapped("repartition_type")), ["base", "tax"])
            repartition.mapped("tag_ids.id")
            repartition.mapped("account_id.id")
            repartition.mapped("factor_percent")
