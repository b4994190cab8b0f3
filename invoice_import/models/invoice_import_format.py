"""Supplier formats as records: the engine's JSON, editable, importable and exportable.

A format is data, never code (see ``engine/formats.py``), so shipping a
format for a new supplier is an import of a ``.json`` file.  The record
keeps the JSON text exactly as written; the engine validates it on every
save, so a typo is refused with the engine's own message naming the key.
"""

import base64
import json
import re

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..engine import ExtractionError
from ..engine.formats import MAX_FORMAT_BYTES, load_format

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
    definition = fields.Text(
        required=True,
        help="The engine's JSON: a CSV column map or a PDF template (see the engine's formats documentation).",
    )
    kind = fields.Selection(KINDS, compute="_compute_kind", store=True)
    definition_file = fields.Binary(compute="_compute_definition_file", attachment=False, string="JSON file")
    definition_filename = fields.Char(compute="_compute_definition_file")
    supplier_count = fields.Integer(compute="_compute_supplier_count")

    @api.depends("definition")
    def _compute_name(self):
        for fmt in self:
            fmt.name = fmt.name or _definition_dict(fmt.definition).get("name")

    @api.depends("definition")
    def _compute_kind(self):
        for fmt in self:
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
