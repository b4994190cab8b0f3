"""Why an import waits for a person, on its record and for its bill; where its activities go.

The state alone said *Ready* in green on a bill nobody had confirmed. ``review_reason`` says what the
bill waits for (``engine/waiting.py``); ``waits_for_person`` (stored) is what *To Review* filters on, for
the documents and for the vendor bills. The activities for the assignees go on the bill the document
filled, where people look, and on the document only when it has no bill of its own.
"""

from odoo import api, fields, models

from ..engine.states import DUPLICATE, FAILED, QUEUED, READY
from ..engine.waiting import Waiting, waiting_reason
from .invoice_import_document import PURCHASE_TYPES


class InvoiceImportDocument(models.Model):
    _inherit = "invoice.import.document"

    review_reason = fields.Char(
        "Waiting For", compute="_compute_review_reason", help="What the draft bill of this import waits for."
    )
    waits_for_person = fields.Boolean(
        "Waiting for a Person",
        compute="_compute_waits_for_person",
        store=True,
        precompute=True,  # in the INSERT of the document, not an UPDATE after it (see ``invoice_import_document``)
        index=True,
        help="The bill of this import is a draft that a person must check or confirm (or, without a bill, the "
        "file failed or duplicates another).",
    )

    @api.depends("state", "duplicate_action", "move_id.state")
    def _compute_waits_for_person(self):
        for doc in self:
            if doc.state == QUEUED or doc.duplicate_action:
                doc.waits_for_person = False
            elif doc.move_id:
                doc.waits_for_person = doc.move_id.state == "draft"
            else:
                doc.waits_for_person = doc.state in (FAILED, DUPLICATE)

    @api.depends(
        "state",
        "waits_for_person",
        "match_state",
        "match_report",
        "low_confidence_fields",
        "error_code",
        "duplicate_of_move_id",
        "duplicate_action",
    )
    def _compute_review_reason(self):
        for doc in self:
            doc.review_reason = doc._review_reason() if doc.waits_for_person else False

    def _review_reason(self):
        self.ensure_one()
        move = self.move_id
        autopost = None
        if self.state == READY and move.move_type in PURCHASE_TYPES and move.invoice_import_document_id == self:
            autopost = move._invoice_import_autopost().reason
        sentence = waiting_reason(
            Waiting(
                state=self.state,
                match_state=self.match_state or None,
                orders=tuple((self.match_report or {}).get("orders") or ()),
                low_fields=tuple(self._field_label(key) for key in self._low_confidence_keys()),
                error=self.error_reason or self.error_message or None,
                duplicate_of=None if self.duplicate_action else self.duplicate_of_move_id.display_name or None,
                autopost=autopost,
            )
        )
        return self.env._(sentence) if sentence else False  # noqa: INT001

    def _activity_record(self):
        """Where this import's activities go: its bill, when the bill was filled from it; else the document."""
        self.ensure_one()
        move = self.move_id
        if move and move.invoice_import_document_id == self:
            return move
        return self
