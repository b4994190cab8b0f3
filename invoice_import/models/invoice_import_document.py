"""The import record of one supplier document: what was read, how sure, and what a person must do.

Every file decoded into a vendor bill gets one (several for a CSV holding
several invoices), whatever became of it, so that nothing is dropped: a
file that could not be read is a *failed* document keeping the file and
the reason, a file already imported is a *duplicate* that leaves the
existing bill alone until a person decides.
"""

import json
import logging

from markupsafe import Markup, escape
from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import format_date
from odoo.tools.misc import formatLang
from odoo.tools.translate import LazyTranslate

from ..engine.display import LINE_COLUMNS, field_rows
from ..engine.errors import describe_error
from ..engine.review import (
    CONFIDENCE_THRESHOLD,
    KEY_FIELDS,
    invoice_number_key,
    is_low,
    low_confidence_keys,
)
from ..engine.states import (
    DOCUMENT_STATE_LABELS,
    DOCUMENT_STATES,
    DUPLICATE,
    FAILED,
    FILLED_STATES,
    TO_REVIEW,
    selection,
)

_lt = LazyTranslate(__name__)
_logger = logging.getLogger(__name__)

PURCHASE_TYPES = ("in_invoice", "in_refund")
SALE_TYPES = ("out_invoice", "out_refund")
DIRECTIONS = [("purchase", "Supplier Invoice"), ("sale", "Customer Invoice")]
STATES = selection(DOCUMENT_STATES, DOCUMENT_STATE_LABELS)
SOURCES = [
    ("csv", "CSV"),
    ("pdf-text", "PDF text"),
    ("ocr", "OCR"),
    ("embedded-xml", "Factur-X/ZUGFeRD (XML in the PDF)"),
    ("xml", "XML e-invoice"),
]
FIELD_LABELS = {
    "partner": _lt("Supplier"),
    "invoice_number": _lt("Invoice number"),
    "document_type": _lt("Document type"),
    "issue_date": _lt("Invoice date"),
    "due_date": _lt("Due date"),
    "currency": _lt("Currency"),
    "amount_untaxed": _lt("Untaxed amount"),
    "amount_tax": _lt("Tax"),
    "amount_total": _lt("Total"),
    "po_reference": _lt("Purchase order"),
    "lines": _lt("Lines"),
    "supplier.name": _lt("Supplier name"),
    "supplier.vat": _lt("Supplier VAT"),
    "supplier.email": _lt("Supplier email"),
    "supplier.phone": _lt("Supplier phone"),
    "supplier.iban": _lt("Supplier IBAN"),
    "customer.name": _lt("Customer name"),
    "customer.vat": _lt("Customer VAT"),
}


class InvoiceImportDocument(models.Model):
    _name = "invoice.import.document"
    _description = "Imported Supplier Document"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "id desc"
    _check_company_auto = True

    # The stored computed fields of a document are computed before its row is inserted (``precompute``): computed
    # at the next flush instead, they cost every import an UPDATE of the row it has just inserted.
    name = fields.Char(compute="_compute_name", store=True, precompute=True)
    direction = fields.Selection(
        DIRECTIONS,
        default="purchase",
        index=True,
        help="A supplier invoice becomes a vendor bill; a customer invoice issued elsewhere, a customer invoice.",
    )
    state = fields.Selection(STATES, required=True, default=TO_REVIEW, tracking=True, index=True)
    source = fields.Selection(SOURCES, help="How the data was read: structured XML, the PDF's text, OCR or CSV.")
    format_id = fields.Many2one("invoice.import.format", "Format Used", check_company=True)
    partner_id = fields.Many2one("res.partner", "Supplier", index=True)
    partner_match = fields.Selection(
        [
            ("sender", "Sender address"),
            ("sender_domain", "Sender domain"),
            ("bill", "Set on the bill"),
            ("vat", "VAT number"),
            ("mail", "Mail sender (Odoo)"),
            ("contact", "Email or phone in the document"),
            ("name", "Name in the document"),
        ],
        string="Supplier Found By",
    )
    sender_email = fields.Char("Sender")
    sender_auth = fields.Selection(
        [("pass", "Authenticated"), ("fail", "Authentication failed"), ("none", "Not authenticated")],
        string="Sender Check",
        help="What the receiving mail server's SPF/DKIM/DMARC results say of the sender's address: only an "
        "authenticated sender's bills are posted automatically.",
    )
    sender_auth_detail = fields.Char("Sender Check Details")
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company, index=True)
    move_id = fields.Many2one("account.move", "Bill", ondelete="set null", index=True, check_company=True)
    attachment_id = fields.Many2one("ir.attachment", "File", ondelete="set null")
    file_name = fields.Char()
    file_checksum = fields.Char(index=True, help="SHA-256 of the file's content.")
    invoice_number = fields.Char()
    invoice_number_key = fields.Char(compute="_compute_invoice_number_key", store=True, precompute=True, index=True)
    invoice_date = fields.Date()
    currency_id = fields.Many2one("res.currency")
    amount_total = fields.Monetary(currency_field="currency_id")
    confidence = fields.Json(help="Confidence per field, 0 to 1, as the engine reported it (plus the supplier match).")
    low_confidence_fields = fields.Char(compute="_compute_low_confidence", store=True, precompute=True)
    confidence_html = fields.Html(compute="_compute_confidence_html", sanitize=False)
    warnings = fields.Text()
    error_code = fields.Char(help="The engine's error code, e.g. corrupt_pdf or no_format.")
    error_reason = fields.Char("Reason", compute="_compute_error_reason", help="Why the file failed, in words.")
    error_message = fields.Text()
    pivot_json = fields.Text("Extracted Data", help="The engine's pivot JSON, as read from the file.")
    pivot_html = fields.Html("Extracted Fields", compute="_compute_pivot_html", sanitize=False)
    duplicate_of_move_id = fields.Many2one("account.move", "Already Imported As", ondelete="set null")
    duplicate_action = fields.Selection(
        [("linked", "Linked to the existing bill"), ("replaced", "Replaced the existing bill's document")],
        readonly=True,
    )

    @api.depends("file_name", "invoice_number", "partner_id")
    def _compute_name(self):
        for doc in self:
            parts = [doc.partner_id.display_name, doc.invoice_number or doc.file_name]
            doc.name = " - ".join(p for p in parts if p) or _("Document")

    @api.depends("invoice_number")
    def _compute_invoice_number_key(self):
        for doc in self:
            doc.invoice_number_key = invoice_number_key(doc.invoice_number)

    @api.depends("confidence", "state")
    def _compute_low_confidence(self):
        for doc in self:
            doc.low_confidence_fields = ", ".join(doc._field_label(key) for key in doc._low_confidence_keys())

    @api.depends("error_code")
    def _compute_error_reason(self):
        for doc in self:
            doc.error_reason = self.env._(describe_error(doc.error_code)) if doc.error_code else False  # noqa: INT001

    @api.depends("pivot_json", "currency_id")
    def _compute_pivot_html(self):
        for doc in self:
            try:
                data = json.loads(doc.pivot_json) if doc.pivot_json else None
            except ValueError:
                data = None
            doc.pivot_html = doc._render_pivot(data, doc.currency_id) if isinstance(data, dict) else False

    @api.model
    def _render_pivot(self, data, currency=None, lines=True):
        """One extracted invoice as labelled fields and lines, each value in the user's format, with confidence.

        ``data``: a pivot invoice (``Invoice.to_dict()``); which fields and
        labels come from ``engine/display.py``.  Dates in the user's
        language format, amounts with the invoice's currency (``currency``
        or the one it names; else plain with two decimals), fields read
        with low confidence highlighted.  Shared by the import document's
        *Extracted Data* tab and *Try on a File*.
        """
        if not currency and data.get("currency"):
            currency = (
                self.env["res.currency"]
                .with_context(active_test=False)
                .search([("name", "=", data["currency"])], limit=1)
            )
        rows = []
        for row in field_rows(data):
            score, value = row["confidence"], row["value"]
            low = value is not None and score is not None and score < CONFIDENCE_THRESHOLD
            rows.append(
                Markup('<tr class="%s"><td class="text-muted">%s</td><td>%s</td><td class="text-end">%s</td></tr>')
                % (
                    "table-warning" if low else "",
                    self.env._(row["label"]),  # noqa: INT001
                    self._format_value(value, row["kind"], currency),
                    "" if score is None else f"{round(score * 100)} %",
                )
            )
        fields_table = Markup(
            '<table class="table table-sm o_invoice_import_fields"><thead><tr><th>%s</th><th>%s</th>'
            '<th class="text-end">%s</th></tr></thead><tbody>%s</tbody></table>'
        ) % (_("Field"), _("Value"), _("Confidence"), Markup("").join(rows))
        return fields_table + self._render_pivot_lines(data, currency) if lines else fields_table

    @api.model
    def _render_pivot_lines(self, data, currency=None):
        """The extracted lines as a table with labelled columns (``engine/display.py``); '' without lines."""
        lines = data.get("lines") or []
        if not lines:
            return ""
        currency = currency or self._pivot_currency(data)
        head = Markup("").join(
            Markup('<th class="%s">%s</th>') % ("" if kind == "text" else "text-end", self.env._(label))  # noqa: INT001
            for _key, label, kind in LINE_COLUMNS
        )
        body = Markup("").join(
            Markup("<tr>%s</tr>")
            % Markup("").join(
                Markup('<td class="%s">%s</td>')
                % ("" if kind == "text" else "text-end", self._format_value(line.get(key), kind, currency))
                for key, _label, kind in LINE_COLUMNS
            )
            for line in lines
        )
        lines_score = (data.get("confidence") or {}).get("lines")
        caption = _("Lines") + (f" ({round(lines_score * 100)} %)" if lines_score is not None else "")
        return Markup(
            '<h6 class="mt-3">%s</h6><table class="table table-sm o_invoice_import_lines">'
            "<thead><tr>%s</tr></thead><tbody>%s</tbody></table>"
        ) % (caption, head, body)

    @api.model
    def _pivot_currency(self, data):
        if not data.get("currency"):
            return None
        return (
            self.env["res.currency"].with_context(active_test=False).search([("name", "=", data["currency"])], limit=1)
        )

    @api.model
    def _format_value(self, value, kind, currency=None):
        """A pivot value (string) as Odoo shows one of its kind: ``format_date``, ``formatLang``; '' when not read."""
        if value in (None, ""):
            return ""
        try:
            if kind == "date":
                return format_date(self.env, fields.Date.to_date(value))
            if kind == "amount":
                if currency:
                    return formatLang(self.env, float(value), currency_obj=currency)
                return formatLang(self.env, float(value), digits=2)
            if kind == "quantity":
                return formatLang(
                    self.env,
                    float(value),
                    digits=self.env["decimal.precision"].precision_get("Product Unit of Measure"),
                )
            if kind == "percent":
                return f"{formatLang(self.env, float(value), digits=2)} %"
        except (ValueError, TypeError):
            return str(value)  # kept as read: a person still sees what the file said
        return str(value)

    @api.depends("confidence", "state")
    def _compute_confidence_html(self):
        for doc in self:
            doc.confidence_html = doc._render_confidence()

    def _field_label(self, key):
        if key == "partner" and self.direction == "sale":
            return self.env._("Customer")
        return self.env._(FIELD_LABELS[key]) if key in FIELD_LABELS else key

    def _low_confidence_keys(self):
        """Key fields missing or below the threshold, then any other field below it."""
        self.ensure_one()
        if self.state == FAILED:
            return []
        return low_confidence_keys(self.confidence)

    def _render_confidence(self):
        if self.state == FAILED or not self.confidence:
            return False
        confidence = dict(self.confidence)
        for key in KEY_FIELDS:
            confidence.setdefault(key, None)
        rows = []
        for key, value in confidence.items():
            low = is_low(key, value)
            shown = _("not found") if not value else f"{round(value * 100)} %"
            style = "table-warning fw-bold" if low else ("text-muted" if not value else "")
            rows.append(
                Markup('<tr class="%s"><td>%s</td><td class="text-end">%s</td></tr>')
                % (style, self._field_label(key), shown)
            )
        return Markup(
            '<table class="table table-sm o_invoice_import_confidence mb-0"><tbody>%s</tbody></table>'
        ) % Markup("").join(rows)

    # ------------------------------------------------------------------
    # Creation from the decoder
    # ------------------------------------------------------------------

    @api.model
    def _find_duplicate(self, company, partner, number, checksum, exclude_moves, move_types=PURCHASE_TYPES):
        """The existing bill this invoice was already imported as, if any.

        Same supplier (its commercial entity) and same normalised invoice
        number among the company's vendor bills and refunds that are not
        cancelled (customer invoices and credit notes for ``SALE_TYPES``);
        else the same file content already imported into a bill that still
        exists (for a file holding several invoices, with the
        same invoice number).
        """
        Move = self.env["account.move"].sudo()
        key = invoice_number_key(number)
        if partner and key:
            candidates = Move.search_fetch(
                [
                    ("company_id", "=", company.id),
                    ("move_type", "in", move_types),
                    ("commercial_partner_id", "=", partner.commercial_partner_id.id),
                    ("state", "!=", "cancel"),
                    ("ref", "ilike", key.rsplit("-", 1)[-1]),  # narrows the search; compared exactly below
                    ("id", "not in", exclude_moves.ids),
                ],
                ["ref"],  # read by the search's own query: the comparison below needs nothing else
            )
            for move in candidates:
                if key in {invoice_number_key(ref) for ref in move.ref.split(", ")}:
                    return move
        if checksum:
            documents = self.sudo().search(
                [
                    ("company_id", "=", company.id),
                    ("file_checksum", "=", checksum),
                    ("state", "in", FILLED_STATES),
                    ("invoice_number_key", "=", key),
                    ("move_id", "!=", False),
                    ("move_id", "not in", exclude_moves.ids),
                    ("move_id.state", "!=", "cancel"),
                    ("move_id.move_type", "in", move_types),
                ],
                limit=1,
            )
            return documents.move_id
        return Move

    def _needs_person(self):
        self.ensure_one()
        return self.state in (FAILED, DUPLICATE) or (self.state == TO_REVIEW and self._low_confidence_keys())

    def _schedule_activities(self):
        """One activity per assignee of the company on each document a person must look at."""
        for doc in self.filtered(lambda d: d._needs_person()):
            summaries = {
                FAILED: _("Could not read %s", doc.file_name),
                DUPLICATE: _("Already imported: %s", doc.name),
                TO_REVIEW: _("Check the fields read with low confidence: %s", doc.low_confidence_fields),
            }
            for user in doc.company_id.invoice_import_assignee_ids:
                doc._activity_record().activity_schedule(
                    "invoice_import.mail_activity_type_invoice_import",
                    summary=summaries[doc.state],
                    note=escape(doc.error_message or doc.warnings or ""),
                    user_id=user.id,
                )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_open_bill(self):
        self.ensure_one()
        move = self.move_id or self.duplicate_of_move_id
        if not move:
            raise UserError(_("This document has no bill."))
        return self._open_move(move)

    def _open_move(self, move, dropped=None):
        """The bill's form; after ``dropped`` (the duplicate's bill) was deleted, without the breadcrumbs to it.

        Returns an ``ir.actions.act_window`` dict.
        """
        action = {
            "type": "ir.actions.act_window",
            "res_model": "account.move",
            "res_id": move.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }
        if dropped and not dropped.exists():
            action["target"] = "main"
        return action

    def action_link_to_existing(self):
        """Keep the existing bill; this document and its file join it, the empty new bill goes."""
        self.ensure_one()
        existing = self._check_duplicate_open()
        placeholder = self.move_id
        same_file = self._attachments_of(existing).filtered(lambda a: a.checksum == self.attachment_id.checksum)
        if same_file:
            attachment = same_file[:1]
        elif self._owns_file(placeholder):
            attachment = self.attachment_id
            attachment.sudo().write({"res_model": "account.move", "res_id": existing.id})
        else:
            attachment = self.attachment_id.sudo().copy({"res_model": "account.move", "res_id": existing.id})
        self.write({"move_id": existing.id, "attachment_id": attachment.id, "duplicate_action": "linked"})
        existing.message_post(
            body=_("This invoice was received again (%s) and linked to this bill.", self.file_name),
            attachment_ids=attachment.ids if not same_file else [],
        )
        self._drop_placeholder(placeholder, existing)
        self._close_activities()
        return self._open_move(existing, dropped=placeholder)

    def action_replace_existing_document(self):
        """The existing bill keeps its data but its file becomes this one, under the same file name."""
        self.ensure_one()
        existing = self._check_duplicate_open()
        placeholder = self.move_id
        new_file = self.attachment_id.sudo()
        old = self._existing_attachment(existing).sudo()
        if old:
            old.write({"raw": new_file.raw})
            self.search([("attachment_id", "=", old.id), ("id", "!=", self.id)]).write(
                {"file_checksum": self.file_checksum}
            )
        else:
            old = new_file.copy({"res_model": "account.move", "res_id": existing.id})
        if new_file != old and self._owns_file(placeholder):
            new_file.unlink()
        self.write({"move_id": existing.id, "attachment_id": old.id, "duplicate_action": "replaced"})
        existing.message_post(body=_("The document %s was replaced by the file received again.", old.name))
        self._drop_placeholder(placeholder, existing)
        self._close_activities()
        return self._open_move(existing, dropped=placeholder)

    def _owns_file(self, placeholder):
        """The file came with this document alone (not a CSV whose other invoices became bills)."""
        attachment = self.attachment_id
        if not attachment or not placeholder:
            return False
        shared = self.search_count([("attachment_id", "=", attachment.id), ("id", "!=", self.id)])
        return not shared and attachment.res_model == "account.move" and attachment.res_id == placeholder.id

    def _check_duplicate_open(self):
        # the caller's rights first: both buttons then move and rewrite files as superuser
        self.check_access("write")
        self.duplicate_of_move_id.check_access("write")
        if self.state != DUPLICATE or not self.duplicate_of_move_id:
            raise UserError(_("Only a duplicate document can be linked to the bill it duplicates."))
        if self.duplicate_action:
            raise UserError(_("This duplicate was already resolved."))
        return self.duplicate_of_move_id

    def _attachments_of(self, move):
        return self.env["ir.attachment"].sudo().search([("res_model", "=", "account.move"), ("res_id", "=", move.id)])

    def _existing_attachment(self, move):
        """The file the existing bill was imported from, else its main attachment."""
        document = self.search(
            [("move_id", "=", move.id), ("attachment_id", "!=", False), ("id", "!=", self.id)], limit=1
        )
        return document.attachment_id or move.message_main_attachment_id

    def _drop_placeholder(self, placeholder, existing):
        """Delete the empty bill the duplicate file created, unless something else lives on it."""
        if not placeholder or placeholder == existing:
            return
        others = self.search([("move_id", "=", placeholder.id), ("id", "!=", self.id)])
        if others or placeholder.invoice_line_ids or placeholder.state != "draft":
            return
        leftovers = self._attachments_of(placeholder) - self.attachment_id
        try:
            with self.env.cr.savepoint():
                placeholder.unlink()
                leftovers.exists().unlink()
        except UserError as exc:
            _logger.info(
                "invoice_import: bill %s of a resolved duplicate is cancelled, not deleted: %s", placeholder.id, exc
            )
            placeholder.button_cancel()

    def _close_activities(self, feedback=None):
        activity_type = self.env.ref("invoice_import.mail_activity_type_invoice_import")
        for doc in self:
            note = feedback or _(
                "Resolved: %s", dict(doc._fields["duplicate_action"].selection).get(doc.duplicate_action)
            )
            doc._activity_record().sudo().activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            ).action_feedback(feedback=note)

    @api.model
    def _pivot_text(self, pivot):
        return json.dumps(pivot.to_dict(), indent=2, ensure_ascii=False)
