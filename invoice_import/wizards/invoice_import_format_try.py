"""Try a format on a sample file and see what it reads, before saving anything.

Everything shown is computed on the fly from the uploaded file and the
definition in the wizard (which may differ from the saved one), so a person
can adjust a regex or a column name and look again; *Save to format*
writes the definition back once it reads the sample right.
"""

import base64

from markupsafe import Markup, escape
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..engine import ExtractionError, Limits
from ..engine.pivot import HEADER_FIELDS, PARTY_FIELDS
from ..engine.sandbox import SandboxError, extract_isolated
from ..models.invoice_import_document import CONFIDENCE_THRESHOLD
from ..models.invoice_import_format import parse_definition

LINE_KEYS = ("product_code", "description", "quantity", "unit_price", "discount", "tax_rate", "amount")
# A web request waits for the answer: the reader process is stopped after this (OCR of a long scan included).
TRY_SECONDS = 60


class InvoiceImportFormatTry(models.TransientModel):
    _name = "invoice.import.format.try"
    _description = "Try a Supplier Invoice Format on a File"

    format_id = fields.Many2one("invoice.import.format")
    definition = fields.Text(help="The definition tried; edit it here and try again, then save it to the format.")
    file = fields.Binary("Sample File")
    filename = fields.Char()
    invoice_count = fields.Integer(compute="_compute_result")
    fields_html = fields.Html("Extracted Fields", compute="_compute_result", sanitize=False)
    lines_html = fields.Html("Lines", compute="_compute_result", sanitize=False)
    warnings = fields.Text(compute="_compute_result")
    error = fields.Text(compute="_compute_result")

    @api.depends("file", "filename", "definition")
    def _compute_result(self):
        for wizard in self:
            wizard.update(wizard._result())

    def _result(self):
        empty = {"invoice_count": 0, "fields_html": False, "lines_html": False, "warnings": False, "error": False}
        if not self.file:
            return empty
        try:
            formats = [parse_definition(self.definition)] if (self.definition or "").strip() else []
            # read in a process of its own under OS limits (engine/sandbox.py), never in this worker
            invoices = extract_isolated(
                base64.b64decode(self.file),
                filename=self.filename,
                formats=formats,
                limits=Limits(max_seconds=TRY_SECONDS),
            ).invoices
        except ExtractionError as exc:
            return {**empty, "error": f"{exc.code}: {exc.message}"}
        except (SandboxError, MemoryError) as exc:  # an engine bug (logged with its traceback), or no memory here
            return {
                **empty,
                "error": _("The file could not be read: %s", (str(exc) or type(exc).__name__).splitlines()[0]),
            }
        data = [invoice.to_dict() for invoice in invoices]
        warnings = [f"{d['invoice_number'] or index + 1}: {w}" for index, d in enumerate(data) for w in d["warnings"]]
        return {
            "invoice_count": len(data),
            "fields_html": Markup("").join(self._fields_table(d) for d in data),
            "lines_html": Markup("").join(self._lines_table(d) for d in data),
            "warnings": "\n".join(warnings) or False,
            "error": False,
        }

    def _fields_table(self, data):
        confidence = data["confidence"]
        rows = [(key, data[key], confidence.get(key)) for key in HEADER_FIELDS]
        for party, party_fields in PARTY_FIELDS.items():
            rows += [(f"{party}.{key}", data[party].get(key), confidence.get(f"{party}.{key}")) for key in party_fields]
        body = Markup("").join(
            Markup('<tr class="%s"><td>%s</td><td>%s</td><td class="text-end">%s</td></tr>')
            % (
                "table-warning" if value is not None and (score or 0) < CONFIDENCE_THRESHOLD else "",
                self.env["invoice.import.document"]._field_label(key),
                "" if value is None else value,
                "" if score is None else f"{round(score * 100)} %",
            )
            for key, value, score in rows
            if value is not None or key in HEADER_FIELDS
        )
        title = escape(data["invoice_number"] or _("Invoice"))
        return Markup('<h5 class="mt-2">%s</h5><table class="table table-sm"><tbody>%s</tbody></table>') % (title, body)

    def _lines_table(self, data):
        head = Markup("").join(Markup("<th>%s</th>") % key.replace("_", " ") for key in LINE_KEYS)
        body = Markup("").join(
            Markup("<tr>%s</tr>")
            % Markup("").join(Markup("<td>%s</td>") % ("" if line[key] is None else line[key]) for key in LINE_KEYS)
            for line in data["lines"]
        )
        title = escape(data["invoice_number"] or _("Invoice"))
        return Markup(
            '<h5 class="mt-2">%s</h5><table class="table table-sm"><thead><tr>%s</tr></thead><tbody>%s</tbody></table>'
        ) % (
            title,
            head,
            body,
        )

    def action_try(self):
        """Recompute (the fields are computed) and keep the wizard open."""
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "views": [(False, "form")],
            "target": "new",
        }

    def action_save_to_format(self):
        self.ensure_one()
        if not self.format_id:
            raise UserError(_("Open this from a format to save the definition into it."))
        self.format_id.definition = self.definition
        return {"type": "ir.actions.act_window_close"}
