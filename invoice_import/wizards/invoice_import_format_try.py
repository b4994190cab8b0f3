"""Try a format on a sample file and see what it reads, before saving anything.

Everything shown is computed on the fly from the uploaded file and the
definition in the wizard (which may differ from the saved one), so a person
can adjust a regex or a column name and look again; *Save to format*
writes the definition back once it reads the sample right.
"""

import base64

from markupsafe import Markup
from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..engine import ExtractionError, Limits
from ..engine.display import describe_warning
from ..engine.errors import describe_error
from ..engine.formats import format_mismatch
from ..engine.sandbox import SandboxError, extract_isolated
from ..models.invoice_import_format import parse_definition

# The engine's warning on a CSV read without its format (engine/extract.py); a mismatch says it better.
_GUESSED_WARNING = "no supplier format given"
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
        """``{invoice_count, fields_html, lines_html, warnings, error}`` of reading the file with the definition.

        What was read is shown as the import document shows it (labelled
        fields, the user's date format, amounts in the invoice's
        currency); a format of another kind than the file (a PDF template
        tried on a CSV) is said as such, as an error, above what the file
        gave without it.
        """
        empty = {"invoice_count": 0, "fields_html": False, "lines_html": False, "warnings": False, "error": False}
        if not self.file:
            return empty
        try:
            formats = [parse_definition(self.definition)] if (self.definition or "").strip() else []
            # read in a process of its own under OS limits (engine/sandbox.py), never in this worker
            result = extract_isolated(
                base64.b64decode(self.file),
                filename=self.filename,
                formats=formats,
                limits=Limits(max_seconds=TRY_SECONDS),
            )
        except ExtractionError as exc:
            reason = describe_error(exc.code)
            return {**empty, "error": _("%(reason)s: %(message)s", reason=_(reason), message=exc.message)}  # noqa: INT001
        except (SandboxError, MemoryError) as exc:  # an engine bug (logged with its traceback), or no memory here
            return {
                **empty,
                "error": _("The file could not be read: %s", (str(exc) or type(exc).__name__).splitlines()[0]),
            }
        mismatch = format_mismatch(formats[0].kind, result.kind) if formats else None
        data = [invoice.to_dict() for invoice in result.invoices]
        warnings = [
            f"{d['invoice_number'] or index + 1}: {describe_warning(w)}"
            for index, d in enumerate(data)
            for w in d["warnings"]
            if not (mismatch and w.startswith(_GUESSED_WARNING))  # said better by the mismatch
        ]
        Document = self.env["invoice.import.document"]
        return {
            "invoice_count": len(data),
            "fields_html": Markup("").join(self._title(d) + Document._render_pivot(d, lines=False) for d in data),
            "lines_html": Markup("").join(self._title(d) + Document._render_pivot_lines(d) for d in data),
            "warnings": "\n".join(warnings) or False,
            "error": _(mismatch) if mismatch else False,  # noqa: INT001
        }

    @staticmethod
    def _title(data):
        return Markup('<h5 class="mt-2">%s</h5>') % (data["invoice_number"] or _("Invoice"))

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
