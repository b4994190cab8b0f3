"""No file of a mail is lost without a word: zips, empty files, odd names, and a Message-Id used twice.

Mails go through Odoo's own gateway (``message_process``, as a mail server's pipe hands them on) and
through the supplier invoice inbox (a private dovecot).
"""

import io
import zipfile
from email.message import EmailMessage

from odoo.tests import tagged

from .common import InvoiceImportCommon
from .mail_common import InvoiceImportMailCommon, invoice_mail, invoice_pdf

SENDER = "Greenleaf Accounts <accounts@greenleaf.example>"
GREENLEAF = "accounts@greenleaf.example"


def zipped(files, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in files:
            archive.writestr(name, content)
    return buffer.getvalue()


def mail(files, message_id, subject="Invoices"):
    """A mail from Greenleaf with ``files``: (name, bytes, MIME type)."""
    message = EmailMessage()
    message["From"] = SENDER
    message["To"] = "bills@example.com"
    message["Subject"] = subject
    message["Message-Id"] = message_id
    message.set_content("Please find our invoices attached.")
    for name, content, mimetype in files:
        maintype, subtype = mimetype.split("/")
        message.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return message.as_bytes()


@tagged("post_install", "-at_install")
class TestMailFiles(InvoiceImportCommon):
    def _process(self, raw):
        values = {"move_type": "in_invoice", "journal_id": self.journal.id}
        self.env["mail.thread"].message_process("account.move", raw, custom_values=values)
        return self.env["invoice.import.document"].search([("sender_email", "=", GREENLEAF)], order="id")

    def test_invoices_inside_a_zip_are_read_and_the_zip_is_kept(self):
        archive = zipped([("GL-7001.pdf", invoice_pdf("GL-7001")), ("logo.bin", bytes(range(64)))])
        documents = self._process(mail([("invoices.zip", archive, "application/zip")], "<zip-1@greenleaf.example>"))
        self.assertEqual(documents.mapped("invoice_number"), ["GL-7001"])
        bill = documents.move_id
        kept = self.env["ir.attachment"].search([("res_model", "=", "account.move"), ("res_id", "=", bill.id)])
        self.assertIn("invoices.zip", kept.mapped("name"), "the zip itself stays with the bill")
        self.assertIn("invoices.zip/GL-7001.pdf", kept.mapped("name"))
        said = " ".join(bill.message_ids.mapped("body"))
        self.assertIn("One file of invoices.zip was not read: logo.bin is not an invoice file", said, "in words")
        self.assertNotIn("invoices.zip/logo.bin", said, "the file as named inside the zip, not the engine's path")

    def test_a_zip_bomb_is_a_failed_document_keeping_the_zip(self):
        bomb = zipped([("invoice.pdf", b"%PDF-1.4\n" + b"\0" * (60 * 1024 * 1024))])
        self.assertLess(len(bomb), 200_000)
        documents = self._process(mail([("invoices.zip", bomb, "application/zip")], "<zip-bomb@greenleaf.example>"))
        self.assertEqual(documents.mapped("state"), ["failed"])
        self.assertEqual(documents.error_code, "zip_bomb")
        self.assertEqual(documents.attachment_id.raw, bomb)
        self.assertTrue(self.review_activities(documents))

    def test_an_empty_file_is_a_failed_document_beside_the_good_one(self):
        raw = mail(
            [("empty.pdf", b"", "application/pdf"), ("GL-7002.pdf", invoice_pdf("GL-7002"), "application/pdf")],
            "<empty-1@greenleaf.example>",
        )
        documents = self._process(raw)
        failed = documents.filtered(lambda d: d.state == "failed")
        self.assertEqual((failed.error_code, failed.file_name), ("empty_file", "empty.pdf"))
        self.assertEqual(failed.attachment_id.name, "empty.pdf", "the empty file is kept, with the reason")
        self.assertEqual((documents - failed).mapped("invoice_number"), ["GL-7002"], "the good file is read")

    def test_a_nul_in_a_file_name_loses_nothing(self):
        raw = mail([("GL-7003\x00.pdf", invoice_pdf("GL-7003"), "application/pdf")], "<nul-1@greenleaf.example>")
        documents = self._process(raw)
        self.assertEqual(documents.mapped("invoice_number"), ["GL-7003"])
        self.assertEqual(documents.file_name, "GL-7003_.pdf")

    def test_a_reused_message_id_with_other_files_is_shown_on_the_first_bill(self):
        first = self._process(mail([("GL-7004.pdf", invoice_pdf("GL-7004"), "application/pdf")], "<same@gl.example>"))
        self.assertEqual(first.mapped("invoice_number"), ["GL-7004"])
        again = mail([("GL-7005.pdf", invoice_pdf("GL-7005"), "application/pdf")], "<same@gl.example>")
        self.assertEqual(self._process(again), first, "Odoo takes a Message-Id once")
        note = first.move_id.message_ids.filtered(lambda m: "other files" in (m.body or ""))
        self.assertEqual(note.attachment_ids.mapped("name"), ["GL-7005.pdf"])
        # the very same mail again is only a duplicate: no note
        self._process(again)
        self.assertEqual(len(first.move_id.message_ids.filtered(lambda m: "other files" in (m.body or ""))), 1)


@tagged("post_install", "-at_install")
class TestInboxFiles(InvoiceImportMailCommon):
    def test_a_reused_message_id_with_other_files_is_a_failed_document(self):
        self.dovecot.deliver(invoice_mail("GL-7101"))
        self.imap.fetch_mail()
        other = invoice_mail("GL-7102").replace(b"<GL-7102@greenleaf.example>", b"<GL-7101@greenleaf.example>")
        self.dovecot.deliver(other, invoice_mail("GL-7101"))  # the same id, other files; then a plain copy
        self.imap.fetch_mail()
        self.assertEqual(self.bills_of(GREENLEAF).mapped("ref"), ["GL-7101"])
        reused = self.env["invoice.import.document"].search([("error_code", "=", "message_id_reused")])
        self.assertEqual(len(reused), 1, "reported once, the plain copy is only removed")
        self.assertIn(b"GL-7102", reused.attachment_id.raw)
        self.assertEqual(self.inbox_messages(), [])
        # fetched again (a second delivery of the same mail): still one report
        self.dovecot.deliver(other)
        self.imap.fetch_mail()
        reused = self.env["invoice.import.document"].search([("error_code", "=", "message_id_reused")])
        self.assertEqual(len(reused), 1)

    def test_a_nul_in_a_file_name_through_the_inbox(self):
        raw = invoice_mail("GL-7103").replace(b'filename="GL-7103.pdf"', b"filename*=utf-8''GL-7103%00.pdf")
        self.dovecot.deliver(raw)
        self.imap.fetch_mail()
        self.assertEqual(self.bills_of(GREENLEAF).mapped("ref"), ["GL-7103"])
