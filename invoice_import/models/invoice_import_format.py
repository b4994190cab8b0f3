"""Supplier formats as records: the engine's JSON, editable, importable and exportable.

A format is data, never code (see ``engine/formats.py``), so shipping a
format for a new supplier is an import of a ``.json`` file.  The record
keeps the JSON text exactly as written; the engine validates it on every
save, so a typo is refused with the engine's own message naming the key.

A supplier nobody wrote a format for gets one learned from its bills: when
a person confirms a bill read from a PDF or a scan, the layout is learned
from the file and the values the bill now holds (``engine/learn.py``), and
the supplier's next bills are read through it first.  A learned format is
an ordinary PDF template, editable like any other; it is learned again from
each confirmed bill, and a hand-written format is never replaced.
"""

import base64
import json
import logging
import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine import ExtractionError
from ..engine.formats import MAX_FORMAT_BYTES, load_format

_logger = logging.getLogger(__name__)

# the import sources whose values were read from the page's looks: only those teach a layout
LEARNABLE_SOURCES = ("pdf-text", "ocr")
FIELD_LABELS = {
    "invoice_number": "Invoice number",
    "issue_date": "Invoice date",
    "due_date": "Due date",
    "amount_total": "Total",
    "amount_untaxed": "Untaxed amount",
    "amount_tax": "Tax",
    "po_reference": "Purchase order",
}

KINDS = [("csv", "CSV column map"), ("pdf", "PDF template")]


def parse_definition(text):
    """The engine format for a JSON text; ExtractionError('invalid_format') otherwise.

    The text is parsed here rather than handed to ``load_format`` as is:
    ``load_format`` treats a string that is not JSON as a file path, and a
    path typed into a record must never make the server read its own files.
    """
    text = (text or "").strip()
    if len(text.encode()) > MAX_FORMAT_BYTES:
        raise ExtractionError("invalid_format", f"the format is larger than {MAX_FORMAT_BYTES} bytes")
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ExtractionError("invalid_format", f"the format is not valid JSON: {exc}") from None
    return load_format(data)


def _definition_dict(text):
    try:
        data = json.loads(text or "")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class InvoiceImportFormat(models.Model):
    _name = "invoice.import.format"
    _description = "Supplier Invoice Format"
    _order = "name, id"
    _check_company_auto = True

    name = fields.Char(
        required=True,
        compute="_compute_name",
        store=True,
        readonly=False,
        precompute=True,
        help="Defaults to the 'name' of the definition.",
    )
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        default=lambda self: self.env.company,
        index=True,
        help="Leave empty to share the format between companies.",
    )
    # never empty once created: a format made on the form from its kind and rows gets its JSON on create
    definition = fields.Text(
        help="The engine's JSON: a CSV column map or a PDF template (see the engine's formats documentation).",
    )
    kind = fields.Selection(
        KINDS,
        compute="_compute_kind",
        store=True,
        readonly=False,
        help="What the supplier sends: a CSV file read by its columns, or a PDF read by patterns and labels. "
        "Chosen when the format is created; it follows the definition afterwards.",
    )
    definition_file = fields.Binary(compute="_compute_definition_file", attachment=False, string="JSON file")
    definition_filename = fields.Char(compute="_compute_definition_file")
    supplier_count = fields.Integer(compute="_compute_supplier_count")
    learned = fields.Boolean(
        compute="_compute_learned",
        store=True,
        help="Learned from bills a person confirmed; learned again from each confirmed bill of its suppliers.",
    )
    learned_document_ids = fields.Many2many(
        "invoice.import.document",
        "invoice_import_format_learned_document_rel",
        "format_id",
        "document_id",
        string="Learned From",
        help="The imported documents whose confirmed bills this format was learned from.",
    )
    learned_summary = fields.Text(compute="_compute_learned_summary", string="What It Looks For")

    @api.depends("definition")
    def _compute_learned(self):
        for fmt in self:
            fmt.learned = isinstance(_definition_dict(fmt.definition).get("learned"), dict)

    @api.depends("definition")
    def _compute_learned_summary(self):
        """Apart from the stored ``learned``: with one method, reading the summary would recompute and write it."""
        for fmt in self:
            learned = _definition_dict(fmt.definition).get("learned")
            notes = learned.get("fields", {}) if isinstance(learned, dict) else {}
            lines = [f"{FIELD_LABELS.get(key, key)}: {note}" for key, note in notes.items() if isinstance(note, str)]
            fixed = learned.get("fixed", []) if isinstance(learned, dict) else []
            if fixed:
                lines.append(_("Always the same: %s", ", ".join(key.replace("_", " ").capitalize() for key in fixed)))
            fmt.learned_summary = "\n".join(lines) or False

    @api.depends("definition")
    def _compute_name(self):
        for fmt in self:
            fmt.name = fmt.name or _definition_dict(fmt.definition).get("name")

    @api.depends("definition")
    def _compute_kind(self):
        for fmt in self:
            if not fmt.definition:  # a new format being entered: the kind the person picked
                fmt.kind = fmt.kind
                continue
            kind = _definition_dict(fmt.definition).get("kind")
            fmt.kind = kind if kind in dict(KINDS) else False

    @api.depends("definition", "name")
    def _compute_definition_file(self):
        for fmt in self:
            fmt.definition_file = base64.b64encode(fmt._export_json().encode()) if fmt.definition else False
            fmt.definition_filename = "%s.json" % (
                re.sub(r"[^\w.-]+", "_", fmt.name or "format").strip("_") or "format"
            )

    def _compute_supplier_count(self):
        for fmt in self:
            fmt.supplier_count = self.env["res.partner"].search_count([("invoice_import_format_id", "=", fmt.id)])

    @api.constrains("definition")
    def _check_definition(self):
        for fmt in self:
            try:
                parse_definition(fmt.definition)
            except ExtractionError as exc:
                raise ValidationError(
                    _("The definition of format '%(name)s' is invalid: %(message)s", name=fmt.name, message=exc.message)
                ) from None

    def _engine_format(self):
        """The engine's SupplierFormat for this record (validated on save, so it loads)."""
        self.ensure_one()
        return parse_definition(self.definition)

    def _export_json(self):
        """The stored definition, re-indented: the very data the engine loads, nothing added."""
        self.ensure_one()
        data = _definition_dict(self.definition)
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n" if data else (self.definition or "")

    def action_export_json(self):
        """Download the definition as a ``.json`` file another database (or the CLI) can import."""
        self.ensure_one()
        if not self.definition:
            raise UserError(_("This format has no definition to export."))
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{self._name}/{self.id}/definition_file/{self.definition_filename}?download=true",
            "target": "download",
        }

    # ------------------------------------------------------------------
    # Learning from confirmed bills
    # ------------------------------------------------------------------

    @api.model
    def _learn_from_bill(self, move):
        """Create or update the learned format of a confirmed bill's supplier; the format, or an empty recordset.

        Nothing is learned when the supplier has a hand-written format or a
        CSV one, when the bill's values came from structured data (an
        e-invoice, a CSV), or when a bill it was learned from is confirmed
        again unchanged.  A file the engine cannot learn from leaves a
        note on the bill and never stops the confirmation.
        """
        Format = self.sudo().with_company(move.company_id)
        document = move.invoice_import_document_id
        partner = move.partner_id.commercial_partner_id
        if not (partner and document and document.source in LEARNABLE_SOURCES and document.attachment_id):
            return Format.browse()
        current = partner.with_company(move.company_id).sudo().invoice_import_format_id
        if current and not (current.learned and current.kind == "pdf"):
            return Format.browse()
        values = self._confirmed_values(move, partner)
        if current and document in current.learned_document_ids and self._read_as_confirmed(document, values):
            return Format.browse()  # confirmed again, unchanged: nothing new to learn
        from ..engine.learn import document_pages, learn_format

        attachment = document.attachment_id.sudo()
        try:
            pages = document_pages(attachment.raw, attachment.name)
            previous = current._engine_format() if current else None
            template, report = learn_format(
                pages,
                values,
                name=current.name if current else _("%s (learned)", partner.name),
                document=document.file_name or attachment.name,
                previous=previous,
            )
        except ExtractionError as exc:
            _logger.info("no layout learned from %s: %s", document.display_name, exc.message)
            move.message_post(body=_("The layout of this bill could not be learned: %s", exc.message))
            return Format.browse()
        except Exception:  # the confirmation matters more than the learning: never lose it to a reader's bug
            _logger.exception("learning the layout of %s failed", document.display_name)
            move.message_post(body=_("The layout of this bill could not be learned (an internal error, logged)."))
            return Format.browse()
        definition = json.dumps(template.to_dict(), indent=2, ensure_ascii=False) + "\n"
        if current:
            current.sudo().write({"definition": definition, "learned_document_ids": [(4, document.id)]})
            fmt = current.sudo()
        else:
            fmt = Format.create(
                {
                    "name": template.name,
                    "company_id": move.company_id.id,
                    "definition": definition,
                    "learned_document_ids": [(6, 0, document.ids)],
                }
            )
            partner.with_company(move.company_id).sudo().invoice_import_format_id = fmt
        found = [FIELD_LABELS.get(key, key) for key in report["explain"]]
        move.message_post(
            body=_(
                "The layout of %(supplier)s's bills was learned from this bill (%(fields)s): "
                "their next bills are read with the format %(format)s.",
                supplier=partner.name,
                fields=", ".join(found) or _("its fixed values"),
                format=fmt.name,
            )
        )
        return fmt

    @api.model
    def _confirmed_values(self, move, partner):
        """The bill's values as a person confirmed them, in the engine's names.

        Returns ``{"invoice_number", "issue_date", "due_date", "currency",
        "amount_total", "po_reference", "supplier": {"name", "vat"}}``.  A due
        date computed from payment terms is no printed value, so it is only
        given when the bill has no payment terms; the purchase order is the
        one order the bill's lines come from.
        """
        orders = move.invoice_line_ids.purchase_line_id.order_id
        return {
            "invoice_number": move.ref or None,
            "issue_date": move.invoice_date.isoformat() if move.invoice_date else None,
            "due_date": (
                move.invoice_date_due.isoformat()
                if move.invoice_date_due and not move.invoice_payment_term_id
                else None
            ),
            "currency": move.currency_id.name or None,
            "amount_total": str(move.amount_total) if move.amount_total else None,
            "po_reference": orders.name if len(orders) == 1 else None,
            "supplier": {"name": partner.name or None, "vat": partner.vat or None},
        }

    @api.model
    def _read_as_confirmed(self, document, values):
        """Whether the import read every confirmed value the way the person confirmed it."""
        try:
            pivot = json.loads(document.pivot_json or "{}")
        except ValueError:
            return False
        for key in ("invoice_number", "issue_date", "due_date", "po_reference"):
            if values[key] is not None and str(pivot.get(key)) != values[key]:
                return False
        if values["amount_total"] is not None:
            try:
                return float(pivot.get("amount_total") or 0) == float(values["amount_total"])
            except (TypeError, ValueError):
                return False
        return True

    def action_try_on_file(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("invoice_import.invoice_import_format_try_action")
        action["context"] = {"default_format_id": self.id, "default_definition": self.definition}
        return action

    def action_view_suppliers(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": _("Suppliers using %s", self.name),
            "res_model": "res.partner",
            "view_mode": "list,form",
            "domain": [("invoice_import_format_id", "=", self.id)],
        }
