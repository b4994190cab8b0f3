"""After validation an imported invoice's number is fixed: delete and re-import instead."""

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import GREENLEAF_LINES, InvoiceImportCommon, text_pdf


@tagged("post_install", "-at_install")
class TestNumberLock(InvoiceImportCommon):
    def setUp(self):
        super().setUp()
        self.greenleaf = self.env["res.partner"].create({"name": "Greenleaf Office Supplies"})
        self.bill = self.upload(("greenleaf.pdf", text_pdf(GREENLEAF_LINES)))
        self.bill.partner_id = self.greenleaf
        self.document = self.bill.invoice_import_document_id
        self.assertEqual((self.bill.ref, self.document.invoice_number), ("GL-5531", "GL-5531"))

    def test_number_editable_before_validation(self):
        self.bill.ref = "GL-5532"
        self.document.invoice_number = "GL-5532"
        self.assertEqual((self.bill.ref, self.document.invoice_number), ("GL-5532", "GL-5532"))
        self.assertFalse(self.bill.invoice_import_number_locked)

    def test_number_refused_after_posting_and_after_reset_to_draft(self):
        self.bill.action_post()
        self.assertTrue(self.bill.invoice_import_number_locked)
        with self.assertRaisesRegex(UserError, "delete .*import the file again"):
            self.bill.ref = "GL-9999"
        with self.assertRaisesRegex(UserError, "cannot be changed after validation"):
            self.document.invoice_number = "GL-9999"
        # other fields, and writing the same number again, stay possible
        self.bill.write({"ref": "GL-5531", "narration": "checked"})
        self.bill.payment_reference = "GL-5531 / paid by transfer"

        self.bill.button_draft()
        self.assertEqual(self.bill.state, "draft")
        self.assertTrue(self.bill.invoice_import_number_locked, "resetting to draft does not reopen the number")
        with self.assertRaises(UserError):
            self.bill.ref = "GL-9999"
        with self.assertRaises(UserError):
            self.bill.ref = False
        self.assertEqual((self.bill.ref, self.document.invoice_number), ("GL-5531", "GL-5531"))
        # the way out: delete the draft and import the file again
        self.bill.with_context(force_delete=True).unlink()
        again = self.upload(("greenleaf.pdf", text_pdf(GREENLEAF_LINES)))
        self.assertEqual(again.invoice_import_document_id.state, "to_review")
        again.ref = "GL-5533"
        self.assertEqual(again.ref, "GL-5533")

    def test_moves_not_imported_are_not_locked(self):
        bill = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "partner_id": self.greenleaf.id,
                "invoice_date": "2024-02-14",
                "ref": "BY-HAND-1",
                "invoice_line_ids": [Command.create({"name": "Paper", "quantity": 1, "price_unit": 10})],
            }
        )
        bill.action_post()
        self.assertFalse(bill.invoice_import_number_locked)
        bill.ref = "BY-HAND-2"
        bill.button_draft()
        bill.ref = "BY-HAND-3"
        self.assertEqual(bill.ref, "BY-HAND-3")
