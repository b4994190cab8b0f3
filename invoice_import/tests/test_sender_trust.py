"""Who a mail is from, and who a document names: a From header alone posts nothing, a fragment of a name
identifies nobody, and a template's constants are no evidence of the supplier.

Mails go through Odoo's own gateway (``message_process``) as a mail server's pipe would hand them on,
with or without the receiving server's ``Authentication-Results``.
"""

from email.message import EmailMessage

from odoo.tests import tagged

from ..engine.pivot import Invoice, Party
from ..models.bill_import import BillImport
from .common import InvoiceImportCommon, sample_bytes, text_pdf

BOLT = "accounts@boltsupplies.example"


@tagged("post_install", "-at_install")
class TestSenderTrust(InvoiceImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bolt = cls.env["res.partner"].create({"name": "Bolt Supplies Ltd", "is_company": True})
        cls.bolt_format = cls.env["invoice.import.format"].create(
            {"definition": sample_bytes("formats/bolt_supplies_pdf.json").decode()}
        )
        cls.bolt.invoice_import_format_id = cls.bolt_format
        cls.bolt.invoice_import_auto = True
        cls.env["invoice.import.sender"].create({"email": BOLT, "partner_id": cls.bolt.id})

    def _deliver(self, results=(), message_id="<bs-00417@boltsupplies.example>"):
        """Bolt's invoice mailed from its mapped address; ``results``: Authentication-Results, top first."""
        message = EmailMessage()
        for value in results:
            message["Authentication-Results"] = value
        message["From"] = f"Bolt Supplies Accounts <{BOLT}>"
        message["To"] = self.journal.alias_email or "bills@example.com"
        message["Subject"] = "Invoice BS-2024-00417"
        message["Message-Id"] = message_id
        message.set_content("Please find our invoice attached.")
        message.add_attachment(
            sample_bytes("bolt_supplies_invoice.pdf"), maintype="application", subtype="pdf", filename="BS.pdf"
        )
        values = {"move_type": "in_invoice", "journal_id": self.journal.id}
        self.env["mail.thread"].message_process("account.move", message.as_string(), custom_values=values)
        bill = self.env["account.move"].search([("invoice_source_email", "=", BOLT)], order="id desc", limit=1)
        self.assertEqual(bill.invoice_import_document_id.partner_match, "sender")
        return bill

    def _forget(self, bill):
        bill.invoice_import_document_ids.unlink()
        bill.unlink()

    def test_authenticated_sender_of_an_auto_import_supplier_is_posted(self):
        bill = self._deliver(["mx.ours.example; spf=pass smtp.mailfrom=bounce@boltsupplies.example"])
        self.assertEqual(bill.invoice_import_document_id.sender_auth, "pass")
        self.assertEqual(bill.state, "posted")

    def test_forged_from_header_goes_to_review_with_the_reason(self):
        failed = "mx.ours.example; spf=fail smtp.mailfrom=x@evil.example; dmarc=fail header.from=boltsupplies.example"
        for results, status in (
            ((), "none"),  # no receiving server vouched for anything
            ([failed], "fail"),
            (["mx.ours.example; dkim=pass header.d=evil.example"], "none"),  # signed, but by someone else
        ):
            with self.subTest(results=results):
                bill = self._deliver(results, message_id=f"<forged-{status}-{len(results)}-{id(results)}@x>")
                document = bill.invoice_import_document_id
                self.assertEqual(bill.state, "draft", "a From header alone never posts a bill")
                self.assertEqual(document.sender_auth, status)
                self.assertEqual(document.state, "to_review")
                self.assertIn("not authenticated", document.warnings)
                self.assertIn("the domain boltsupplies.example", document.warnings)
                for internal in ("mx.ours.example", "Authentication-Results", "DMARC", "SPF"):
                    self.assertNotIn(internal, document.warnings, "the server's results stay in the details")
                self.assertLess(document.confidence["partner"], 0.9, "the supplier is flagged for the reviewer")
                self.assertTrue(self.review_activities(document))
                self._forget(bill)  # the next delivery brings the same invoice: not a duplicate of this one

    def test_only_the_named_receiving_server_is_believed(self):
        self.env["ir.config_parameter"].set_param("invoice_import.authserv_ids", "mx.ours.example")
        planted = "mx.ours.example.evil; dkim=pass header.d=boltsupplies.example"  # written by the sender
        bill = self._deliver([planted])
        self.assertEqual(bill.invoice_import_document_id.sender_auth, "none")
        self.assertEqual(bill.state, "draft")
        self._forget(bill)
        genuine = "mx.ours.example; dkim=pass header.d=boltsupplies.example"
        bill = self._deliver([planted, genuine], message_id="<second@boltsupplies.example>")
        self.assertEqual(bill.state, "posted")

    # --- a supplier guessed from the document ---------------------------------------------------------------

    def _identify(self, supplier, fmt=None):
        move = self.env["account.move"].create({"move_type": "in_invoice", "journal_id": self.journal.id})
        importer = BillImport(move, {"filename": "x.pdf", "content": b"%PDF-1.4", "type": "pdf"}, True)
        return importer._identify(Invoice(supplier=supplier), fmt)[:2]

    def test_short_or_generic_names_match_no_supplier(self):
        for name in ("Ltd", "Supplies Ltd", "GmbH", "Invoice", "Bolt"):
            with self.subTest(name=name):
                self.assertFalse(self._identify(Party(name=name))[0], "a fragment identifies nobody")
        partner, how = self._identify(Party(name="BOLT SUPPLIES LIMITED"))
        self.assertEqual((partner, how), (self.bolt, "name"), "the same name, case and legal form aside")

    def _ltd_pdf(self, *extra):
        """An invoice whose supplier name reads only "Ltd" (what the template-free reading finds at its top)."""
        return text_pdf(
            [
                "Ltd",
                "12 Market Road, Leeds",
                *extra,
                "INVOICE",
                "Invoice No: BS-1",
                "Invoice Date: 14/02/2024",
                "Code Description Qty Unit Price VAT Net Amount",
                "BS-1 Bolts 5 4.00 20% 20.00",
                "Subtotal 20.00",
                "VAT 4.00",
                "Total GBP 24.00",
            ]
        )

    def test_a_fragment_of_a_name_brings_no_supplier_and_no_template(self):
        self.bolt.vat = self.bolt_format._engine_format().fixed["supplier_vat"]
        bill = self.upload(("ltd.pdf", self._ltd_pdf()))
        document = bill.invoice_import_document_id
        self.assertFalse(bill.partner_id, "Ltd is no supplier")
        self.assertFalse(document.format_id)
        self.assertFalse(document.partner_match)
        self.assertNotEqual(document.state, "ready")

    def test_a_templates_fixed_values_do_not_confirm_the_supplier_they_came_from(self):
        self.bolt.write({"vat": self.bolt_format._engine_format().fixed["supplier_vat"], "email": BOLT})
        bill = self.upload(("bolt.pdf", self._ltd_pdf(BOLT)))  # only the e-mail address names Bolt
        document = bill.invoice_import_document_id
        self.assertEqual((bill.partner_id, document.format_id), (self.bolt, self.bolt_format))
        # the template adds Bolt's VAT number to the bill; the recognition stays the e-mail address's
        self.assertEqual(document.partner_match, "contact")
        self.assertLess(document.confidence["partner"], 0.9)
        self.assertEqual(bill.state, "draft")
