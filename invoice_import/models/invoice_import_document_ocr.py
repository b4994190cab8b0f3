"""The OCR queue: files that need OCR are read by a scheduled action, never inside a mail fetch or a request.

The decoder (``bill_import.BillImport``) leaves such a file's bill empty
and its import document *queued*.  The scheduled action takes queued
documents one at a time with ``FOR UPDATE SKIP LOCKED`` (two workers never
read the same file, and neither waits for the other), reads the file with
OCR through the very same ``BillImport`` the decoder uses, and commits
after each document.  A failure (tesseract missing or too slow, a file it
cannot decode, an unexpected error) is tried again on later runs, up to
``OCR_MAX_ATTEMPTS``; then the document is *failed* with the last error,
and the assignees get an activity.
"""

import logging

from odoo import api, fields, models
from odoo.tools import SQL

from ..engine.states import FAILED, QUEUED, READY
from .bill_import import SETTLE_LATER, BillImport

_logger = logging.getLogger(__name__)

OCR_MAX_ATTEMPTS = 3
OCR_BATCH_DEFAULT = 10
OCR_BATCH_PARAM = "invoice_import.ocr_batch_size"


class InvoiceImportDocument(models.Model):
    _inherit = "invoice.import.document"

    ocr_attempts = fields.Integer("OCR Attempts", readonly=True, help="Failed OCR runs of this queued file so far.")
    ocr_new = fields.Boolean(
        "Bill Made For The File", readonly=True, help="The bill was created for this file (Odoo's 'new' decoding)."
    )

    def _ocr_retry(self, code, message):
        """Count a failed attempt; True while the document stays queued for another one."""
        self.ensure_one()
        attempts = self.ocr_attempts + 1
        self.write({"ocr_attempts": attempts, "error_code": code, "error_message": message})
        if attempts < OCR_MAX_ATTEMPTS:
            _logger.info("invoice_import: OCR of %s failed (%s), attempt %s", self.file_name, code, attempts)
            return True
        return False

    @api.model
    def _ocr_lock_next(self, skip_ids=()):
        """The next queued document no other worker holds, locked until this transaction ends."""
        self.flush_model(["state", "ocr_attempts"])
        rows = self.env.execute_query(
            SQL(
                """SELECT id FROM invoice_import_document
                    WHERE state = %s AND NOT (id = ANY(%s))
                 ORDER BY ocr_attempts, id
                    LIMIT 1
                      FOR UPDATE SKIP LOCKED""",
                QUEUED,
                list(skip_ids),
            )
        )
        return self.browse([row[0] for row in rows])

    def _ocr_import(self):
        """Read this queued document's file with OCR and fill its bill, as the decoder would have."""
        self.ensure_one()
        move, attachment = self.move_id, self.attachment_id
        if not attachment or not move or move.state != "draft":
            message = self.env._("The file or its draft bill is gone: nothing to read.")
            self.write({"state": FAILED, "error_code": "ocr_gone", "error_message": message})
            self._schedule_activities()
            return
        file_data = {"filename": attachment.name, "content": attachment.raw, "attachment": attachment, "type": "binary"}
        existing_lines = move.invoice_line_ids
        sender_move = move.with_context(
            invoice_import_sender=self.sender_email or "",
            invoice_import_sender_auth=(self.sender_auth, self.sender_auth_detail or "") if self.sender_auth else None,
        )
        later = []  # the file's extra bills, settled with this one in date order
        BillImport(sender_move.with_context(**{SETTLE_LATER: later}), file_data, self.ocr_new, queued=self).run()
        if move.invoice_line_ids - existing_lines:
            # what Odoo's attachment loop does after a decoder filled the bill
            (move.invoice_line_ids - existing_lines).is_imported = True
            move._link_bill_origin_to_purchase_orders(timeout=4)
        settle = move.browse(later).exists()
        if move.invoice_import_document_id.state == READY:
            settle |= move
        settle._invoice_import_settle_in_order()

    @api.model
    def _ocr_batch_size(self):
        value = self.env["ir.config_parameter"].sudo().get_param(OCR_BATCH_PARAM)
        return int(value) if value and str(value).isdigit() and int(value) > 0 else OCR_BATCH_DEFAULT

    @api.model
    def _cron_ocr(self, limit=None):
        """Read up to ``limit`` queued documents, one commit each; returns the documents taken."""
        limit = limit or self._ocr_batch_size()
        done = self.browse()
        for _i in range(limit):
            document = self._ocr_lock_next(skip_ids=done.ids)
            if not document:
                break
            done |= document
            try:
                with self.env.cr.savepoint():
                    document._ocr_import()
            except Exception as exc:  # one bad file must not stop the others
                _logger.exception("invoice_import: OCR import of document %s failed", document.id)
                if not document._ocr_retry("engine_error", str(exc)):
                    document.write({"state": FAILED})
                    document._schedule_activities()
            self._ocr_commit()
        if len(done) == limit and self._ocr_lock_next(skip_ids=done.ids):
            self.env.ref("invoice_import.ir_cron_invoice_import_ocr")._trigger()
        return done

    def _ocr_commit(self):
        """One commit per document: a crash later in the batch keeps the files read so far (tests patch it)."""
        self.env.cr.commit()
