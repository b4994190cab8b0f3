"""Import a supplier format from the engine's ``.json`` file (what the export or the CLI produces)."""

import base64

from odoo import _, fields, models
from odoo.exceptions import UserError

from ..engine import ExtractionError
from ..models.invoice_import_format import parse_definition


class InvoiceImportFormatUpload(models.TransientModel):
    _name = "invoice.import.format.upload"
    _description = "Import a Supplier Invoice Format"

    file = fields.Binary("Format File (.json)", required=True)
    filename = fields.Char()
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company, required=True)
    replace_existing = fields.Boolean(
        "Update the format of the same name",
        default=True,
        help="A format of this company with the same name gets the new definition (a new version of a "
        "supplier's format); otherwise a new format is created.",
    )

    def action_import(self):
        self.ensure_one()
        text = self._text()
        try:
            fmt = parse_definition(text)
        except ExtractionError as exc:
            raise UserError(
                _("%(file)s is not a valid format: %(message)s", file=self.filename, message=exc.message)
            ) from None
        Format = self.env["invoice.import.format"]
        record = Format.browse()
        if self.replace_existing:
            record = Format.search([("name", "=", fmt.name), ("company_id", "=", self.company_id.id)], limit=1)
        if record:
            record.definition = text
        else:
            record = Format.create({"name": fmt.name, "definition": text, "company_id": self.company_id.id})
        return {
            "type": "ir.actions.act_window",
            "res_model": "invoice.import.format",
            "res_id": record.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _text(self):
        raw = base64.b64decode(self.file or b"")
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise UserError(_("%s is not a UTF-8 text file.", self.filename)) from None
