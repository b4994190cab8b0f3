"""An invoice received twice never makes two bills: the person chooses what happens to the second file."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CORPUS, GREENLEAF_LINES, InvoiceImportCommon, corpus_pdf, sample_bytes, text_pdf


@tagged("post_install", "-at_install")
class TestDuplicates(InvoiceImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.en16931, cls.expected = corpus_pdf("oca-edi__Facture_FR_EN16931")
        cls.basic, _ = corpus_pdf("oca-edi__Facture_FR_BASIC")
        cls.moulin = cls.env["res.partner"].create({"name": "Au bon moulin", "vat": "FR11999999998"})

    def setUp(self):
        super().setUp()
        if self.en16931 is None:
            self.skipTest(f"shared corpus not found at {CORPUS}")

    def bills_numbered(self, number):
        return self.env["account.move"].search([("ref", "=", number), ("move_type", "=", "in_invoice")])

    def test_same_file_twice_is_a_duplicate_that_can_be_linked(self):
        first = self.upload(("facture.pdf", self.en16931))
        second = self.upload(("facture (1).pdf", self.en16931))
        document = second.invoice_import_document_id
        self.assertEqual(document.state, "duplicate")
        self.assertEqual(document.duplicate_of_move_id, first)
        self.assertFalse(second.invoice_line_ids, "the duplicate's bill is not filled")
        self.assertFalse(second.ref)
        self.assertIn("It seems this invoice has already been imported", "".join(second.message_ids.mapped("body")))
        self.assertEqual(self.review_activities(document).user_id, self.reviewer)

        action = document.action_link_to_existing()
        self.assertEqual(action["res_id"], first.id)
        self.assertFalse(second.exists(), "the empty bill of the duplicate is gone")
        self.assertEqual(document.move_id, first)
        self.assertEqual(document.duplicate_action, "linked")
        self.assertEqual(
            first.invoice_import_document_id.state, "ready", "the panel still shows the import that filled it"
        )
        self.assertEqual(len(first.invoice_import_document_ids), 2)
        self.assertEqual(document.attachment_id.res_id, first.id)
        files = self.env["ir.attachment"].search([("res_model", "=", "account.move"), ("res_id", "=", first.id)])
        self.assertEqual(len(files.filtered(lambda a: a.raw == self.en16931)), 1, "the same file is not attached twice")
        self.assertFalse(self.review_activities(document), "the activity is done once the person decided")
        self.assertEqual(len(self.bills_numbered("FA-2017-0010")), 1)
        with self.assertRaises(UserError):
            document.action_link_to_existing()

    def test_same_number_in_another_file_can_replace_the_existing_document(self):
        first = self.upload(("facture.pdf", self.en16931))
        first_file = first.invoice_import_document_id.attachment_id
        second = self.upload(("facture-basic.pdf", self.basic))
        document = second.invoice_import_document_id
        self.assertEqual((document.state, document.duplicate_of_move_id), ("duplicate", first))

        document.action_replace_existing_document()
        self.assertFalse(second.exists())
        self.assertEqual(document.attachment_id, first_file, "the existing bill keeps its file name")
        self.assertEqual(first_file.name, "facture.pdf")
        self.assertEqual(first_file.raw, self.basic)
        self.assertEqual(document.move_id, first)
        self.assertEqual(first.invoice_import_document_ids.mapped("file_checksum")[0], document.file_checksum)
        self.assertEqual(len(self.bills_numbered("FA-2017-0010")), 1)

    def test_number_written_differently_on_an_existing_bill(self):
        manual = self.env["account.move"].create(
            {"move_type": "in_invoice", "partner_id": self.acme.id, "ref": "re 2024/117", "journal_id": self.journal.id}
        )
        bills = self.upload(("acme_invoices.csv", sample_bytes("acme_invoices.csv")))
        documents = self.env["invoice.import.document"].search([("file_name", "=", "acme_invoices.csv")], order="id")
        self.assertEqual(documents.mapped("invoice_number"), ["RE-2024-0117", "RE-2024-0118"], "in the file's order")
        self.assertEqual(documents.mapped("state"), ["duplicate", "ready"])
        self.assertEqual(documents[0].duplicate_of_move_id, manual)
        self.assertFalse(documents[0].move_id, "no second bill for RE-2024-0117")
        self.assertEqual(documents[1].move_id, bills, "the upload's bill holds the new invoice")
        self.assertEqual(bills.ref, "RE-2024-0118")
        self.assertFalse(self.bills_numbered("RE-2024-0117"))

    def test_other_supplier_same_number_is_not_a_duplicate(self):
        self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.partner_a.id,
                "ref": "FA-2017-0010",
                "journal_id": self.journal.id,
            }
        )
        bill = self.upload(("facture.pdf", self.en16931))
        self.assertEqual(bill.invoice_import_document_id.state, "ready")

    def test_same_file_of_an_unknown_supplier_is_a_duplicate_by_content(self):
        pdf = text_pdf(GREENLEAF_LINES)
        first = self.upload(("greenleaf.pdf", pdf))
        self.assertFalse(first.partner_id)
        second = self.upload(("greenleaf.pdf", pdf))
        self.assertEqual(second.invoice_import_document_id.state, "duplicate")
        self.assertEqual(second.invoice_import_document_id.duplicate_of_move_id, first)

    def test_cancelled_bill_does_not_block_a_new_import(self):
        self.upload(("facture.pdf", self.en16931)).button_cancel()
        again = self.upload(("facture.pdf", self.en16931))
        self.assertEqual(again.invoice_import_document_id.state, "ready")
        self.assertEqual(again.ref, "FA-2017-0010")
