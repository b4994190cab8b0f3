"""Scans wait for the OCR scheduled action: the mail intake never runs tesseract."""

import io
from email.message import EmailMessage

from odoo import SUPERUSER_ID, api
from odoo.sql_db import db_connect
from odoo.tests import TransactionCase, tagged

from ..engine.limits import Deadline, Limits
from ..engine.pdf import open_pdf
from ..models.invoice_import_document_ocr import OCR_MAX_ATTEMPTS
from .committed_documents import commit_documents
from .common import GREENLEAF_LINES, InvoiceImportCommon, text_pdf


def invoice_png(number):
    """A scanned-looking PNG of the Greenleaf invoice numbered ``number``: pixels only, no text layer."""
    pdf = text_pdf([line.replace("GL-5531", number) for line in GREENLEAF_LINES])
    with open_pdf(pdf, Limits(), Deadline(60)) as doc:
        page = doc.render_page(0, 200)
    buffer = io.BytesIO()
    page.save(buffer, format="PNG", dpi=(200, 200))
    return buffer.getvalue()


CORRUPT_PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"not an image at all" * 20


@tagged("post_install", "-at_install")
class TestOcrQueue(InvoiceImportCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.alias_domain_id = cls.env["mail.alias.domain"].create({"name": "bills.example"})
        cls.journal.alias_domain_id = cls.company.alias_domain_id
        cls.journal._invoice_import_new_alias()

    def setUp(self):
        super().setUp()
        # Files are read in the reader process (engine/sandbox.py), where no spy of this process can count
        # tesseract's runs: the document's source says whether OCR read it ("ocr") or nothing did yet (queued).
        # a test may not commit its cursor: the commit after each document becomes a flush
        self.patch(type(self.env["invoice.import.document"]), "_ocr_commit", lambda docs: docs.env.flush_all())

    def mail_image(self, number, content, filename=None):
        message = EmailMessage()
        message["From"] = "Greenleaf <accounts@greenleaf.example>"
        message["To"] = self.journal.alias_email
        message["Subject"] = f"Invoice {number}"
        message["Message-Id"] = f"<{number}@greenleaf.example>"
        message.set_content("Scan attached.")
        message.add_attachment(content, maintype="image", subtype="png", filename=filename or f"{number}.png")
        self.env["mail.thread"].message_process(None, message.as_string())
        return self.env["account.move"].search([("invoice_source_email", "=", "accounts@greenleaf.example")])

    def test_mailed_image_is_queued_without_ocr_then_read_by_the_scheduled_action(self):
        bill = self.mail_image("GL-7001", invoice_png("GL-7001"))
        self.assertEqual(len(bill), 1, "the image reached the decoder and made a bill")
        document = bill.invoice_import_document_id
        self.assertFalse(document.source, "no OCR inside the mail intake")
        self.assertEqual(document.state, "queued")
        self.assertEqual(bill.invoice_import_state, "queued")
        self.assertEqual(document.attachment_id.name, "GL-7001.png")
        self.assertFalse(bill.invoice_line_ids)

        taken = self.env["invoice.import.document"]._cron_ocr()
        self.assertEqual(taken, document)
        self.assertEqual(document.state, "to_review")
        self.assertEqual(document.source, "ocr")
        self.assertEqual(bill.invoice_import_document_id, document, "the queued document is filled in, not doubled")
        self.assertEqual(bill.ref, "GL-7001")
        self.assertAlmostEqual(bill.amount_total, 24.00)
        self.assertTrue(bill.invoice_line_ids)
        self.assertTrue(all(bill.invoice_line_ids.mapped("is_imported")))
        self.assertFalse(self.env["invoice.import.document"]._cron_ocr(), "nothing left in the queue")

    def test_hand_upload_is_queued_too(self):
        bill = self.upload(("scan.png", invoice_png("GL-7002")))
        self.assertFalse(bill.invoice_import_document_id.source)
        self.assertEqual(bill.invoice_import_state, "queued")
        self.env["invoice.import.document"]._cron_ocr()
        self.assertEqual(bill.ref, "GL-7002")

    def test_text_pdf_is_still_read_at_once(self):
        bill = self.upload(("GL-7003.pdf", text_pdf([x.replace("GL-5531", "GL-7003") for x in GREENLEAF_LINES])))
        self.assertEqual(bill.invoice_import_state, "to_review")
        self.assertEqual(bill.ref, "GL-7003")
        self.assertEqual(bill.invoice_import_document_id.source, "pdf-text")

    def test_corrupt_image_fails_after_bounded_retries_with_an_activity(self):
        bill = self.mail_image("GL-7004", CORRUPT_PNG)
        document = bill.invoice_import_document_id
        self.assertEqual(document.state, "queued")
        Document = self.env["invoice.import.document"]
        for attempt in range(1, OCR_MAX_ATTEMPTS):
            self.assertEqual(Document._cron_ocr(), document, "each run tries it once")
            self.assertEqual((document.state, document.ocr_attempts), ("queued", attempt))
            self.assertEqual(document.error_code, "corrupt_image")
            self.assertFalse(self.review_activities(document))
        Document._cron_ocr()
        self.assertEqual(document.state, "failed")
        self.assertEqual(document.ocr_attempts, OCR_MAX_ATTEMPTS)
        self.assertEqual(document.error_code, "corrupt_image")
        self.assertEqual(document.attachment_id.raw, CORRUPT_PNG, "the file is kept")
        self.assertEqual(self.review_activities(document).user_id, self.reviewer)
        self.assertFalse(Document._cron_ocr())

    def test_batch_size_setting_bounds_a_run(self):
        self.env["res.config.settings"].create({"invoice_import_ocr_batch_size": 1}).execute()
        first = self.upload(("a.png", invoice_png("GL-7005")))
        second = self.upload(("b.png", invoice_png("GL-7006")))
        self.assertEqual(self.env["invoice.import.document"]._cron_ocr(), first.invoice_import_document_id)
        self.assertEqual(second.invoice_import_state, "queued")
        self.assertEqual(self.env["invoice.import.document"]._cron_ocr(), second.invoice_import_document_id)


@tagged("post_install", "-at_install")
class TestOcrQueueConcurrency(TransactionCase):
    """Two workers on two real database connections (the test's own cursor cannot show locks)."""

    def test_two_workers_never_take_the_same_document(self):
        ids = commit_documents(self, 3, "ocr-concurrency", state="queued", ocr_attempts=0)
        with db_connect(self.env.cr.dbname).cursor() as cr_a, db_connect(self.env.cr.dbname).cursor() as cr_b:
            cr_b.execute("SET lock_timeout = '2s'")  # a blocked worker fails fast instead of hanging the test
            worker_a = api.Environment(cr_a, SUPERUSER_ID, {})["invoice.import.document"]
            worker_b = api.Environment(cr_b, SUPERUSER_ID, {})["invoice.import.document"]
            held = worker_a._ocr_lock_next()
            self.assertIn(held.id, ids)
            taken_b = worker_b._cron_ocr()  # commits per document, while A holds its one
            self.assertEqual(set(taken_b.ids), set(ids) - set(held.ids))
            cr_a.rollback()
            self.assertEqual(worker_a._ocr_lock_next(), held, "the one A held is still queued for the next run")
            cr_a.rollback()
        with db_connect(self.env.cr.dbname).cursor() as cr:
            cr.execute("SELECT id, state, error_code FROM invoice_import_document WHERE id = ANY(%s)", (ids,))
            states = {row[0]: (row[1], row[2]) for row in cr.fetchall()}
        self.assertEqual(states[held.id], ("queued", None))
        for doc_id in set(ids) - set(held.ids):
            self.assertEqual(states[doc_id], ("failed", "ocr_gone"), "B read (and, with no file, failed) the others")
