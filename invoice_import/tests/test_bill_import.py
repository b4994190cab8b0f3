"""Bills from files through Odoo's own entry points: the journal upload and the mail alias."""

from email.message import EmailMessage
from unittest.mock import patch

from odoo import Command
from odoo.tests import tagged
from odoo.tools import file_open, format_date
from odoo.tools.misc import formatLang

from .common import CORPUS, GREENLEAF_LINES, InvoiceImportCommon, corpus_pdf, sample_bytes, text_pdf

FATTURA = b"""<?xml version="1.0" encoding="UTF-8"?>
<p:FatturaElettronica xmlns:p="http://ivaservizi.agenziaentrate.gov.it/docs/xsd/fatture/v1.2" versione="FPR12">
  <FatturaElettronicaBody><DatiGenerali><DatiGeneraliDocumento>
    <Numero>FT-2024-77</Numero>
  </DatiGeneraliDocumento></DatiGenerali></FatturaElettronicaBody>
</p:FatturaElettronica>
"""


@tagged("post_install", "-at_install")
class TestBillImport(InvoiceImportCommon):
    def test_facturx_pdf_becomes_a_ready_bill(self):
        content, expected = corpus_pdf("oca-edi__Facture_FR_EN16931")
        if content is None:
            self.skipTest(f"shared corpus not found at {CORPUS}")
        seller = self.env["res.partner"].create({"name": "Au bon moulin", "vat": expected["seller_vat"]})
        bill = self.upload(("Facture_FR_EN16931.pdf", content))
        self.assertEqual(len(bill), 1)
        self.assertRecordValues(
            bill,
            [
                {
                    "move_type": "in_invoice",
                    "partner_id": seller.id,
                    "ref": expected["invoice_number"],
                    "currency_id": self.eur.id,
                    "amount_total": float(expected["amount_total"]),
                    "amount_untaxed": float(expected["amount_untaxed"]),
                    "invoice_origin": expected["po_reference"],
                }
            ],
        )
        self.assertEqual(str(bill.invoice_date), expected["issue_date"])
        self.assertEqual(str(bill.invoice_date_due), expected["due_date"])
        self.assertEqual(len(bill.invoice_line_ids), expected["line_count"])
        nougat = bill.invoice_line_ids.filtered(lambda line: "Nougat" in line.name)
        self.assertEqual((nougat.quantity, nougat.price_unit, nougat.tax_ids), (20.0, 4.10, self.tax_20))
        self.assertTrue(all(bill.invoice_line_ids.mapped("is_imported")))
        document = bill.invoice_import_document_id
        self.assertRecordValues(
            document,
            [{"state": "ready", "source": "embedded-xml", "partner_id": seller.id, "partner_match": "vat"}],
        )
        self.assertEqual(document.attachment_id.res_id, bill.id)
        self.assertEqual(document.attachment_id.raw, content)
        self.assertEqual(bill.message_main_attachment_id, document.attachment_id)
        self.assertFalse(document.low_confidence_fields)
        # nothing to check, but nobody posted it: the assignees have it to confirm, on the bill
        activity = self.review_activities(document)
        self.assertEqual((activity.res_model, activity.res_id), ("account.move", bill.id))
        self.assertTrue(activity.summary.startswith("Confirm the bill: Waiting for confirmation."), activity.summary)

    def test_every_facturx_of_the_corpus_gives_one_bill(self):
        stems = sorted(p.stem for p in CORPUS.glob("*.pdf")) if CORPUS.is_dir() else []
        if not stems:
            self.skipTest(f"shared corpus not found at {CORPUS}")
        for stem in stems:
            content, expected = corpus_pdf(stem)
            with self.subTest(file=stem):
                bill = self.upload((f"{stem}.pdf", content))
                self.assertEqual(len(bill), 1)
                document = self.documents(bill)
                self.assertEqual(len(document), 1)
                self.assertIn(document.state, ("ready", "to_review"), document.error_message)
                self.assertEqual(document.source, "embedded-xml")
                self.assertEqual(bill.ref, expected["invoice_number"])
                refund = expected["type_code"] == "381" or float(expected["amount_total"]) < 0
                self.assertEqual(bill.move_type, "in_refund" if refund else "in_invoice")
                if expected["issue_date"]:
                    self.assertEqual(str(bill.invoice_date), expected["issue_date"])
                if document.state == "ready":
                    self.assertAlmostEqual(bill.amount_total, abs(float(expected["amount_total"])), places=2)
                else:
                    self.assertTrue(document.warnings or document.low_confidence_fields)

    def test_csv_with_two_invoices_gives_two_bills_in_the_journal(self):
        bills = self.upload(("acme_invoices.csv", sample_bytes("acme_invoices.csv")))
        self.assertEqual(len(bills), 1, "Odoo's upload returns the bill it created for the file")
        documents = self.env["invoice.import.document"].search([("file_name", "=", "acme_invoices.csv")], order="id")
        self.assertEqual(documents.mapped("invoice_number"), ["RE-2024-0117", "RE-2024-0118"])
        self.assertEqual(documents[0].move_id, bills)
        moves = documents.move_id
        self.assertEqual(len(moves), 2)
        self.assertEqual(moves.journal_id, self.journal)
        self.assertEqual(set(moves.mapped("ref")), {"RE-2024-0117", "RE-2024-0118"})
        self.assertEqual(moves.partner_id, self.acme)
        self.assertEqual(documents.format_id, self.acme_format)
        self.assertEqual(set(documents.mapped("state")), {"ready"})
        self.assertEqual(set(documents.mapped("partner_match")), {"vat"})
        # Extracted Data: labelled fields and formatted values with their confidence, never the JSON's keys
        extracted = documents[0].pivot_html
        self.assertIn(formatLang(self.env, 385.44, currency_obj=documents[0].currency_id), extracted)
        self.assertIn(format_date(self.env, documents[0].invoice_date), extracted)
        self.assertIn("Invoice number", extracted)
        self.assertIn("Drehmomentschl", extracted)
        self.assertIn("100 %", extracted)
        for internal in ("invoice_number", "amount_total", '"lines"', "{"):
            self.assertNotIn(internal, extracted)
        first = documents[0].move_id
        self.assertAlmostEqual(first.amount_total, 385.44, places=2)
        wrench = first.invoice_line_ids.filtered(lambda line: "77-0001" in line.name)
        self.assertRecordValues(wrench, [{"quantity": 1.0, "price_unit": 189.0, "discount": 10.0}])
        self.assertEqual(first.invoice_line_ids.tax_ids, self.tax_19)
        second = documents[1].move_id
        self.assertAlmostEqual(second.amount_total, 6001.17, places=2)
        self.assertEqual(second.message_main_attachment_id.raw, sample_bytes("acme_invoices.csv"))

    def test_every_bill_of_a_csv_is_posted_for_a_supplier_importing_automatically(self):
        self.acme.invoice_import_auto = True
        self.upload(("acme_invoices.csv", sample_bytes("acme_invoices.csv")))
        documents = self.env["invoice.import.document"].search([("file_name", "=", "acme_invoices.csv")], order="id")
        self.assertEqual(documents.mapped("state"), ["ready", "ready"])
        self.assertEqual(documents.move_id.mapped("state"), ["posted", "posted"])

    def _acme_csv(self, reverse=False, prefix=b"RE-2024"):
        """ACME's CSV of two invoices (0117 of 5 March, then 0118 of 6 March); ``reverse``: the first dated
        after the second, so that file order and date order disagree; ``prefix``: other invoice numbers."""
        content = sample_bytes("acme_invoices.csv")
        first = b"RE-2024-0117;RE;05.03.2024;04.04.2024"
        self.assertIn(first, content)
        if reverse:
            content = content.replace(first, b"RE-2024-0117;RE;07.03.2024;06.04.2024")
        return content.replace(b"RE-2024-", prefix + b"-")

    def assert_numbered_in_date_order(self, documents, expected_refs):
        """Both bills posted, by the same user, the older invoice with the lower sequence number."""
        moves = documents.move_id
        why = [(d.state, d.partner_match, d.sender_auth, d.warnings, d.match_state) for d in documents]
        self.assertEqual(moves.mapped("state"), ["posted", "posted"], why)
        self.assertEqual(len(moves.create_uid), 1, "the bills of one delivery are created by the same user")
        by_date = moves.sorted(lambda move: move.invoice_date)
        self.assertEqual(by_date.mapped("ref"), expected_refs)
        self.assertEqual(by_date[0].sequence_prefix, by_date[1].sequence_prefix)
        self.assertEqual(by_date[1].sequence_number, by_date[0].sequence_number + 1, by_date.mapped("name"))

    def test_bills_of_one_upload_are_numbered_in_date_order(self):
        """Odoo settles the file's bill once read; the CSV's second invoice, an extra bill, waits for it."""
        self.acme.write({"invoice_import_auto": True, "invoice_import_format_id": self.acme_format.id})
        self.env["invoice.import.sender"].create({"email": "rechnungen@acme.example", "partner_id": self.acme.id})
        self.upload(("acme_invoices.csv", self._acme_csv()), sender="rechnungen@acme.example")
        documents = self.env["invoice.import.document"].search([("file_name", "=", "acme_invoices.csv")], order="id")
        self.assertEqual(documents.mapped("invoice_number"), ["RE-2024-0117", "RE-2024-0118"])
        self.assert_numbered_in_date_order(documents, ["RE-2024-0117", "RE-2024-0118"])

    def test_bills_of_one_mail_are_numbered_in_date_order(self):
        """The CSV's second invoice is read as an extra bill while Odoo decodes the first: both post once
        read, oldest first, whichever of the two the file lists first."""
        self.acme.write({"invoice_import_auto": True, "invoice_import_format_id": self.acme_format.id})
        self.env["invoice.import.sender"].create({"email": "@acme.example", "partner_id": self.acme.id})
        for sender, reverse, prefix in (("rechnungen", False, "RE-2024"), ("buchhaltung", True, "RE-2025")):
            with self.subTest(reverse=reverse):
                mail = self._mail(
                    f"ACME <{sender}@acme.example>",
                    [("acme_invoices.csv", self._acme_csv(reverse, prefix.encode()), "text/csv")],
                )
                self.env["mail.thread"].message_process(
                    "account.move", mail, custom_values={"move_type": "in_invoice", "journal_id": self.journal.id}
                )
                documents = self.env["invoice.import.document"].search(
                    [("sender_email", "=", f"{sender}@acme.example")], order="id"
                )
                refs = [f"{prefix}-0117", f"{prefix}-0118"]
                self.assertEqual(documents.mapped("invoice_number"), refs)
                self.assert_numbered_in_date_order(documents, refs[::-1] if reverse else refs)

    def test_credit_note_becomes_a_vendor_refund(self):
        csv = sample_bytes("acme_invoices.csv").split(
            b"\r\n" if b"\r\n" in sample_bytes("acme_invoices.csv") else b"\n"
        )
        header, row = csv[0], csv[1].replace(b"RE-2024-0117;RE;", b"GS-2024-0003;GS;")
        bill = self.upload(("gutschrift.csv", header + b"\n" + row + b"\n"))
        self.assertEqual(bill.move_type, "in_refund")
        self.assertEqual(bill.ref, "GS-2024-0003")
        self.assertEqual(bill.invoice_line_ids.quantity, 12.0)

    def test_imported_bill_is_dated_and_balanced_as_odoo_enters_the_same_bill(self):
        # the fill writes the bill's header, then its lines (``BillImport._fill``, one computation of the
        # accounting date instead of two): a past month's invoice still gets the accounting date, tax and
        # payable lines Odoo gives the same bill entered with its date and lines at once
        bill = self.upload(("GL-5531.pdf", text_pdf(GREENLEAF_LINES)))
        self.assertEqual(str(bill.invoice_date), "2024-02-14")
        by_hand = self.env["account.move"].create(
            {
                "move_type": "in_invoice",
                "journal_id": self.journal.id,
                "partner_id": bill.partner_id.id,
                "currency_id": bill.currency_id.id,
                "invoice_date": bill.invoice_date,
                "invoice_line_ids": [
                    Command.create(
                        {
                            "name": line.name,
                            "quantity": line.quantity,
                            "price_unit": line.price_unit,
                            "tax_ids": [Command.set(line.tax_ids.ids)],
                        }
                    )
                    for line in bill.invoice_line_ids
                ],
            }
        )

        def booked(move):
            return move.date, sorted(
                (line.display_type, line.balance, line.date, line.date_maturity or False) for line in move.line_ids
            )

        self.assertEqual(len(bill.line_ids.filtered(lambda line: line.display_type == "tax")), 1)
        self.assertEqual(booked(bill), booked(by_hand))

    def test_unreadable_file_leaves_a_failed_document_and_an_activity(self):
        broken = sample_bytes("bolt_supplies_invoice.pdf")[:900]
        bill = self.upload(("scan.pdf", broken))
        self.assertFalse(bill.invoice_line_ids)
        self.assertFalse(bill.ref)
        document = bill.invoice_import_document_id
        self.assertEqual(document.state, "failed")
        self.assertEqual(document.error_code, "corrupt_pdf")
        self.assertEqual(document.error_reason, "The PDF cannot be parsed (truncated, damaged, or not a PDF)")
        self.assertTrue(document.error_message)
        # the list and the form show the reason in words; the code only to technical users
        documents = self.env["invoice.import.document"].with_user(self.reviewer)
        views = documents.get_views([(False, "list"), (False, "form")])["views"]
        self.assertIn('name="error_reason"', views["list"]["arch"])
        self.assertNotIn('name="error_code"', views["list"]["arch"], "a user outside developer mode")
        self.assertNotIn('name="pivot_json"', views["form"]["arch"])
        self.assertEqual(document.attachment_id.raw, broken)
        self.assertEqual(document.attachment_id.res_id, bill.id)
        activity = self.review_activities(document)
        self.assertEqual(activity.user_id, self.reviewer)
        self.assertIn("scan.pdf", activity.summary)

    def test_csv_nobody_knows_fails_with_no_format(self):
        bill = self.upload(("export.csv", b"Foo;Bar;Baz\n1;2;3\n4;5;6\n"))
        document = bill.invoice_import_document_id
        self.assertEqual((document.state, document.error_code), ("failed", "no_format"))
        self.assertEqual(self.review_activities(document).user_id, self.reviewer)

    def test_unsupported_file_fails_visibly(self):
        bill = self.upload(("photo.bin", bytes(range(256)) * 4))
        self.assertEqual(bill.invoice_import_document_id.error_code, "unsupported_file")

    def test_template_free_pdf_with_an_unknown_supplier_is_to_review(self):
        bill = self.upload(("greenleaf.pdf", text_pdf(GREENLEAF_LINES)))
        document = bill.invoice_import_document_id
        self.assertEqual(document.state, "to_review")
        self.assertEqual(document.source, "pdf-text")
        self.assertFalse(bill.partner_id)
        self.assertEqual(bill.ref, "GL-5531")
        self.assertEqual(bill.currency_id, self.gbp)
        self.assertIn("Supplier", document.low_confidence_fields)
        self.assertIn("supplier could not be recognised", document.warnings)
        # the document's single VAT rate (4.00 on 20.00) gives the line its tax
        self.assertEqual(bill.invoice_line_ids.tax_ids, self.tax_20)
        self.assertAlmostEqual(bill.amount_total, 24.0, places=2)
        self.assertIn("table-warning", document.confidence_html)
        self.assertEqual(self.review_activities(document).user_id, self.reviewer)

    def test_supplier_found_by_vat_brings_its_pdf_template(self):
        bolt = self.env["res.partner"].create({"name": "Bolt Supplies Ltd", "vat": "GB123456789"})
        template = self.env["invoice.import.format"].create(
            {"definition": sample_bytes("formats/bolt_supplies_pdf.json").decode()}
        )
        bolt.invoice_import_format_id = template
        bill = self.upload(("bolt.pdf", sample_bytes("bolt_supplies_invoice.pdf")))
        document = bill.invoice_import_document_id
        self.assertEqual(document.format_id, template)
        self.assertEqual(bill.partner_id, bolt)
        self.assertEqual(len(bill.invoice_line_ids), 18)
        self.assertEqual(bill.ref, "BS-2024-00417")
        self.assertAlmostEqual(bill.amount_total, 2439.84, places=2)

    def _mail(self, sender, attachments, to=None, authenticated=True):
        """A mail as the receiving server hands it on; ``authenticated``: its SPF/DKIM/DMARC results passed."""
        message = EmailMessage()
        if authenticated:
            domain = sender.split("@")[-1].strip(">")
            message["Authentication-Results"] = f"mx.test.example; dkim=pass header.d={domain}"
        message["From"] = sender
        message["To"] = to or self.journal.alias_email or "bills@example.com"
        message["Subject"] = "Invoice"
        message["Message-Id"] = f"<{sender.split('<')[-1].strip('>')}.{len(attachments)}.{id(attachments)}@test>"
        message.set_content("Please find our invoice attached.")
        for name, content, mimetype in attachments:
            maintype, subtype = mimetype.split("/")
            message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
        return message.as_string()

    def test_mail_to_the_alias_uses_the_sender_mapping_and_its_format(self):
        bolt = self.env["res.partner"].create({"name": "Bolt (mapped)"})
        bolt.invoice_import_format_id = self.env["invoice.import.format"].create(
            {"definition": sample_bytes("formats/bolt_supplies_pdf.json").decode()}
        )
        self.env["invoice.import.sender"].create({"email": "@boltsupplies.example", "partner_id": bolt.id})
        mail = self._mail(
            "Bolt Accounts <accounts@boltsupplies.example>",
            [("BS-2024-00417.pdf", sample_bytes("bolt_supplies_invoice.pdf"), "application/pdf")],
        )
        self.env["mail.thread"].message_process(
            "account.move", mail, custom_values={"move_type": "in_invoice", "journal_id": self.journal.id}
        )
        bill = self.env["account.move"].search([("invoice_source_email", "=", "accounts@boltsupplies.example")])
        self.assertEqual(len(bill), 1)
        document = bill.invoice_import_document_id
        self.assertRecordValues(
            document,
            [{"partner_match": "sender_domain", "sender_email": "accounts@boltsupplies.example", "state": "ready"}],
        )
        self.assertEqual(bill.partner_id, bolt)
        self.assertEqual(bill.ref, "BS-2024-00417")
        self.assertEqual(len(bill.invoice_line_ids), 18)
        self.assertEqual(document.attachment_id.name, "BS-2024-00417.pdf")

    def test_mail_with_an_unreadable_attachment_keeps_it_on_a_failed_document(self):
        mail = self._mail(
            "Someone <someone@unknown.example>",
            [("invoice.pdf", b"%PDF-1.4 this is not really a pdf", "application/pdf")],
        )
        self.env["mail.thread"].message_process(
            "account.move", mail, custom_values={"move_type": "in_invoice", "journal_id": self.journal.id}
        )
        bill = self.env["account.move"].search([("invoice_source_email", "=", "someone@unknown.example")])
        document = bill.invoice_import_document_id
        self.assertEqual(document.state, "failed")
        self.assertEqual(document.attachment_id.name, "invoice.pdf")
        self.assertTrue(document.attachment_id.exists())
        self.assertEqual(self.review_activities(document).user_id, self.reviewer)

    def test_ready_bill_of_an_auto_import_supplier_is_posted(self):
        content, expected = corpus_pdf("oca-edi__Facture_FR_EN16931")
        if content is None:
            self.skipTest(f"shared corpus not found at {CORPUS}")
        seller = self.env["res.partner"].create({"name": "Au bon moulin", "vat": expected["seller_vat"]})
        self.assertEqual(self.upload(("draft.pdf", content)).state, "draft", "not asked: waits for a person")
        self.env["account.move"].search([("partner_id", "=", seller.id)]).button_cancel()
        seller.invoice_import_auto = True
        self.assertEqual(self.upload(("posted.pdf", content)).state, "posted")

    def test_bill_to_review_is_never_posted_automatically(self):
        greenleaf = self.env["res.partner"].create({"name": "Greenleaf Office Supplies", "autopost_bills": "always"})
        greenleaf.invoice_import_auto = True
        self.company.autopost_bills = True
        self.env["invoice.import.sender"].create({"email": "@greenleaf.example", "partner_id": greenleaf.id})
        bill = self.upload(("greenleaf.pdf", text_pdf(GREENLEAF_LINES)), sender="billing@greenleaf.example")
        self.assertEqual(bill.partner_id, greenleaf)
        self.assertEqual(bill.invoice_import_document_id.state, "to_review")
        self.assertEqual(bill.state, "draft")

    def test_ubl_xml_file_is_read_by_the_engine(self):
        with file_open("account_edi_ubl_cii/tests/test_files/bis3_bill_example.xml", "rb") as handle:
            content = handle.read()
        bill = self.upload(("bis3_bill_example.xml", content))
        document = bill.invoice_import_document_id
        self.assertEqual(document.source, "xml")
        self.assertNotEqual(document.state, "failed")
        self.assertEqual(bill.ref, "FAC/2023/00052")
        self.assertEqual(str(bill.invoice_date), "2023-08-04")
        self.assertEqual(bill.currency_id, self.eur)
        self.assertTrue(bill.invoice_line_ids)

    def test_xml_the_engine_does_not_know_goes_to_odoos_decoder_for_review(self):
        """A localisation's XML (FatturaPA, CFDI...) keeps its own Odoo decoder, behind an import record."""

        def localisation_decoder(invoice, file_data, new=False):
            with invoice._get_edi_creation() as bill:
                bill.write(
                    {
                        "ref": file_data["xml_tree"].findtext(".//Numero"),
                        "invoice_line_ids": [Command.create({"name": "Servizi", "price_unit": 100.0})],
                    }
                )
            return True

        def get_edi_decoder(move, file_data, new=False):
            if file_data["type"] == "xml" and file_data["xml_tree"].tag.endswith("FatturaElettronica"):
                return localisation_decoder
            return None

        # stands for a localisation module (l10n_it_edi and the like) below this addon
        ubl_move = "odoo.addons.account_edi_ubl_cii.models.account_move.AccountMove._get_edi_decoder"
        with patch(ubl_move, get_edi_decoder):
            bill = self.upload(("IT01234567890_00001.xml", FATTURA))
        document = bill.invoice_import_document_id
        self.assertEqual(document.state, "to_review")
        self.assertIn("Odoo's own e-invoice import", document.warnings)
        self.assertEqual(bill.ref, "FT-2024-77")
        self.assertEqual(bill.invoice_line_ids.price_unit, 100.0)
        # without such a decoder the same file fails visibly
        bill = self.upload(("IT01234567890_00002.xml", FATTURA))
        self.assertEqual(bill.invoice_import_document_id.error_code, "invalid_xml")

    def test_file_posted_on_a_draft_bill_uses_the_chosen_supplier_and_its_format(self):
        bolt = self.env["res.partner"].create({"name": "Bolt, chosen by hand"})
        bolt.invoice_import_format_id = self.env["invoice.import.format"].create(
            {"definition": sample_bytes("formats/bolt_supplies_pdf.json").decode()}
        )
        bill = self.env["account.move"].create(
            {"move_type": "in_invoice", "journal_id": self.journal.id, "partner_id": bolt.id}
        )
        bill.message_post(attachment_ids=self.attachment("bolt.pdf", sample_bytes("bolt_supplies_invoice.pdf")).ids)
        document = bill.invoice_import_document_id
        self.assertEqual((document.partner_match, document.format_id), ("bill", bolt.invoice_import_format_id))
        self.assertEqual(bill.partner_id, bolt)
        self.assertEqual(len(bill.invoice_line_ids), 18)

    def test_confirming_a_bill_to_review_closes_its_activity(self):
        greenleaf = self.env["res.partner"].create({"name": "Greenleaf Office Supplies"})
        bill = self.upload(("greenleaf.pdf", text_pdf(GREENLEAF_LINES)))
        document = bill.invoice_import_document_id
        self.assertTrue(self.review_activities(document))
        bill.partner_id = greenleaf
        bill.action_post()
        self.assertFalse(self.review_activities(document))
        self.assertIn("Reviewed", "".join(bill.message_ids.mapped("body")), "said where the activity was: the bill")

    def test_unknown_sender_never_gets_a_bill_posted(self):
        content, expected = corpus_pdf("oca-edi__Facture_FR_EN16931")
        if content is None:
            self.skipTest(f"shared corpus not found at {CORPUS}")
        seller = self.env["res.partner"].create({"name": "Au bon moulin", "vat": expected["seller_vat"]})
        seller.invoice_import_auto = True
        bill = self.upload(("facture.pdf", content), sender="someone@elsewhere.example")
        self.assertRecordValues(bill.invoice_import_document_id, [{"state": "ready", "partner_match": "vat"}])
        self.assertEqual(bill.state, "draft", "a VAT number in a mailed file proves nothing about who sent it")

    def test_mail_from_a_mapped_sender_of_an_auto_import_supplier_is_posted(self):
        bolt = self.env["res.partner"].create({"name": "Bolt (auto)"})
        bolt.invoice_import_format_id = self.env["invoice.import.format"].create(
            {"definition": sample_bytes("formats/bolt_supplies_pdf.json").decode()}
        )
        bolt.invoice_import_auto = True
        self.env["invoice.import.sender"].create({"email": "accounts@boltsupplies.example", "partner_id": bolt.id})
        mail = self._mail(
            "Bolt Accounts <accounts@boltsupplies.example>",
            [("BS-2024-00417.pdf", sample_bytes("bolt_supplies_invoice.pdf"), "application/pdf")],
        )
        self.env["mail.thread"].message_process(
            "account.move", mail, custom_values={"move_type": "in_invoice", "journal_id": self.journal.id}
        )
        bill = self.env["account.move"].search([("partner_id", "=", bolt.id)])
        self.assertEqual(bill.invoice_import_document_id.partner_match, "sender")
        self.assertEqual(bill.state, "posted")

    def test_mail_with_two_invoices_gives_two_bills(self):
        content, _expected = corpus_pdf("oca-edi__Facture_FR_EN16931")
        if content is None:
            self.skipTest(f"shared corpus not found at {CORPUS}")
        mail = self._mail(
            "Accounts <accounts@several.example>",
            [
                ("facture.pdf", content, "application/pdf"),
                ("greenleaf.pdf", text_pdf(GREENLEAF_LINES), "application/pdf"),
            ],
        )
        self.env["mail.thread"].message_process(
            "account.move", mail, custom_values={"move_type": "in_invoice", "journal_id": self.journal.id}
        )
        documents = self.env["invoice.import.document"].search([("sender_email", "=", "accounts@several.example")])
        self.assertEqual(sorted(documents.mapped("invoice_number")), ["FA-2017-0010", "GL-5531"])
        self.assertEqual(len(documents.move_id), 2)
        self.assertEqual(set(documents.move_id.mapped("move_type")), {"in_invoice"})
        self.assertEqual(documents.move_id.journal_id, self.journal)
        self.assertEqual(set(documents.move_id.mapped("invoice_source_email")), {"accounts@several.example"})
