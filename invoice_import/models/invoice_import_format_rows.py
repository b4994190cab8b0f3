"""A supplier format edited as rows and options on its form, with the JSON behind it.

The rows and options are what ``engine/format_rows.py`` makes of the
format's JSON: one row per column, pattern, learned positional rule or
constant value, and the settings of the whole format as fields.  The JSON
(``definition``) stays the truth: writing it rebuilds the rows, and
writing rows or options rebuilds it through the engine, which keeps every
key the rows do not cover and refuses a row that cannot work, naming it.
Only developer mode shows the JSON itself.
"""

import json

from odoo import Command, _, api, fields, models
from odoo.exceptions import ValidationError

from ..engine import ExtractionError
from ..engine.format_rows import RULE_LABELS, definition_from_rows, field_choices, format_rows, new_definition
from .invoice_import_format import _definition_dict

# the format's option fields and the engine's option keys they edit
OPTION_FIELDS = {
    "format_description": "description",
    "date_format": "date_format",
    "decimal_separator": "decimal_separator",
    "thousands_separator": "thousands_separator",
    "document_type_words": "document_types",
    "csv_delimiter": "delimiter",
    "csv_quotechar": "quotechar",
    "csv_encoding": "encoding",
    "csv_skip_rows": "skip_rows",
    "csv_header_rows": "header_rows",
    "csv_footer_rows": "footer_rows",
    "pdf_keywords": "keywords",
    "pdf_fallback": "template_free_fallback",
    "pdf_lines_start": "lines_start",
    "pdf_lines_line": "lines_line",
    "pdf_lines_end": "lines_end",
    "pdf_lines_ignore": "lines_ignore",
    "pdf_lines_continuation": "lines_continuation",
}
# the row fields and the engine's row keys
ROW_FIELDS = {
    "rule": "rule",
    "field_name": "field",
    "value": "value",
    "column_number": "column_number",
    "where": "where",
    "steps": "steps",
    "nth": "nth",
    "value_kind": "value_kind",
    "shape": "shape",
    "note": "note",
}
# separators as words: selection values become XML ids, where "." and " " would be the same
SEPARATORS = {"none": "", "point": ".", "comma": ",", "space": " ", "apostrophe": "'"}
SEPARATOR_WORDS = {char: word for word, char in SEPARATORS.items()}
SYNCING = "invoice_import_format_syncing"


def _to_odoo(key, value):
    if key in ("decimal_separator", "thousands_separator"):
        return SEPARATOR_WORDS.get(value, False) if value is not None else False
    return False if value is None else value


def _to_engine(key, value):
    if key in ("decimal_separator", "thousands_separator"):
        return SEPARATORS.get(value) if value else None
    if key in ("skip_rows", "header_rows", "footer_rows", "steps", "nth"):
        return value or 0
    if key in ("template_free_fallback", "lines_continuation"):
        return bool(value)
    return value or None


class InvoiceImportFormatField(models.Model):
    _name = "invoice.import.format.field"
    _description = "Supplier Invoice Format Row"
    _order = "format_id, sequence, id"

    format_id = fields.Many2one("invoice.import.format", required=True, ondelete="cascade", index=True)
    format_kind = fields.Selection(related="format_id.kind")
    sequence = fields.Integer(default=10000, help="Patterns of one field are tried in this order.")  # new rows last
    rule = fields.Selection(
        list(RULE_LABELS.items()),
        string="Read From",
        required=True,
        default=lambda self: "column" if self.env.context.get("invoice_import_format_kind") == "csv" else "pattern",
        help="Column: the CSV column of an invoice value. Item column: the CSV column of an item's value. "
        "Pattern: a regular expression over the PDF's text, the value in its group (?P<value>...). "
        "Label and position: the words printed before the value and where the value lies from them. "
        "Always this value: a constant for this supplier, used when the file gives none.",
    )
    field_name = fields.Selection(field_choices(), string="Field", required=True)
    value = fields.Char(
        string="Column / Pattern / Label / Value",
        help="The column's title, the pattern, the label's words as printed, or the constant value.",
    )
    column_number = fields.Integer(help="A column without a title: its number, 1 for the first column.")
    where = fields.Selection([("right", "Right of the label"), ("below", "Below the label")])
    steps = fields.Integer(string="Cells Along", help="Right: cells after the label's cell. Below: cells further down.")
    nth = fields.Integer(string="Which Value", help="0: the cell's first value of its kind, 1: the second...")
    value_kind = fields.Selection(
        [("date", "Date"), ("amount", "Amount"), ("id", "Reference"), ("text", "Text")], string="Value Kind"
    )
    shape = fields.Char(help="A reference's shape, as a regular expression (learned from the bill).")
    note = fields.Char(string="What It Looks For", readonly=True)

    @api.model_create_multi
    def create(self, vals_list):
        rows = super().create(vals_list)
        rows._rewrite_formats()
        return rows

    def write(self, vals):
        result = super().write(vals)
        self._rewrite_formats()
        return result

    def unlink(self):
        formats = self.format_id
        result = super().unlink()
        if not self.env.context.get(SYNCING):
            formats.exists()._definition_from_editor({})
        return result

    def _rewrite_formats(self):
        """A row written on its own (not through its format's form) rewrites its format's JSON too."""
        if not self.env.context.get(SYNCING):
            for fmt in self.format_id:
                fmt._definition_from_editor({})

    def _engine_row(self):
        """The engine's row dict for this record (shape in ``engine/format_rows.py``)."""
        self.ensure_one()
        return {key: _to_engine(key, self[name]) for name, key in ROW_FIELDS.items()}


class InvoiceImportFormat(models.Model):
    _inherit = "invoice.import.format"

    field_ids = fields.One2many("invoice.import.format.field", "format_id", string="Fields", copy=True)
    format_description = fields.Text(
        string="Description", compute="_compute_options", inverse="_inverse_options", readonly=False
    )
    date_format = fields.Char(
        compute="_compute_options",
        inverse="_inverse_options",
        readonly=False,
        help="How the supplier writes dates, as a strptime pattern: %d.%m.%Y for 05.03.2024, %m/%d/%Y for "
        "03/05/2024. Empty: read by the general date parser, day first.",
    )
    decimal_separator = fields.Selection(
        [("point", "Point (1.50)"), ("comma", "Comma (1,50)")],
        compute="_compute_options",
        inverse="_inverse_options",
        readonly=False,
        help="Empty: guessed value by value.",
    )
    thousands_separator = fields.Selection(
        [
            ("none", "None (1500)"),
            ("point", "Point (1.500)"),
            ("comma", "Comma (1,500)"),
            ("space", "Space (1 500)"),
            ("apostrophe", "Apostrophe (1'500)"),
        ],
        compute="_compute_options",
        inverse="_inverse_options",
        readonly=False,
    )
    document_type_words = fields.Text(
        string="Document Type Words",
        compute="_compute_options",
        inverse="_inverse_options",
        readonly=False,
        help="The supplier's words for the document type, one a line: 'GS = Credit note'. "
        "Invoice, Rechnung, Facture, Credit note, Gutschrift, Avoir... are known already.",
    )
    csv_delimiter = fields.Char(
        string="Delimiter",
        compute="_compute_options",
        inverse="_inverse_options",
        readonly=False,
        help="One character, or Tab. Empty: guessed among ; , Tab |.",
    )
    csv_quotechar = fields.Char(
        string="Quote Character", compute="_compute_options", inverse="_inverse_options", readonly=False
    )
    csv_encoding = fields.Char(
        string="Encoding",
        compute="_compute_options",
        inverse="_inverse_options",
        readonly=False,
        help="utf-8, cp1252, utf-16, latin-1... Empty: detected.",
    )
    csv_skip_rows = fields.Integer(
        string="Rows Before the Header", compute="_compute_options", inverse="_inverse_options", readonly=False
    )
    csv_header_rows = fields.Integer(
        string="Header Rows",
        compute="_compute_options",
        inverse="_inverse_options",
        readonly=False,
        help="0: no header, columns are given by number.",
    )
    csv_footer_rows = fields.Integer(
        string="Rows to Ignore at the End", compute="_compute_options", inverse="_inverse_options", readonly=False
    )
    pdf_keywords = fields.Text(
        string="Keywords",
        compute="_compute_options",
        inverse="_inverse_options",
        readonly=False,
        help="Texts found on every document of this supplier, one a line: its name, its VAT number.",
    )
    pdf_fallback = fields.Boolean(
        string="Read the Rest Without Template",
        compute="_compute_options",
        inverse="_inverse_options",
        readonly=False,
        help="What the rows do not find is read by the template-free reader.",
    )
    pdf_lines_start = fields.Char(
        string="Items Start At",
        compute="_compute_options",
        inverse="_inverse_options",
        readonly=False,
        help="A pattern for the line that opens the item table, usually its column titles.",
    )
    pdf_lines_line = fields.Char(
        string="Item Pattern",
        compute="_compute_options",
        inverse="_inverse_options",
        readonly=False,
        help="A pattern for one item line, with named groups such as (?P<description>...) and (?P<amount>...).",
    )
    pdf_lines_end = fields.Char(
        string="Items End At", compute="_compute_options", inverse="_inverse_options", readonly=False
    )
    pdf_lines_ignore = fields.Text(
        string="Lines to Ignore",
        compute="_compute_options",
        inverse="_inverse_options",
        readonly=False,
        help="Patterns of lines inside the item table to drop (page footers), one a line.",
    )
    pdf_lines_continuation = fields.Boolean(
        string="Descriptions on Several Lines", compute="_compute_options", inverse="_inverse_options", readonly=False
    )

    @api.depends("definition", "kind")
    def _compute_options(self):
        for fmt in self:
            # a new format without JSON yet: the defaults of the kind picked (a CSV has a header row)
            options = format_rows(_definition_dict(fmt.definition) or {"kind": fmt.kind})["options"]
            for name, key in OPTION_FIELDS.items():
                fmt[name] = _to_odoo(key, options.get(key))

    def _inverse_options(self):
        """Nothing: ``write`` turns the options and rows into the definition at once."""

    @api.onchange("definition")
    def _onchange_definition_rows(self):
        """The JSON edited in developer mode shows in the rows before it is saved."""
        data = _definition_dict(self.definition)
        if data.get("kind") in ("csv", "pdf"):
            self.field_ids = [Command.clear()] + [Command.create(vals) for vals in self._row_values(data)]

    @api.model
    def _row_values(self, data):
        rows = format_rows(data)["rows"]
        return [
            {"sequence": index * 10, **{name: _to_odoo(key, row.get(key)) for name, key in ROW_FIELDS.items()}}
            for index, row in enumerate(rows, start=1)
        ]

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            options = {name: vals.pop(name) for name in list(vals) if name in OPTION_FIELDS}
            commands = vals.pop("field_ids", None)
            if not (vals.get("definition") or "").strip():  # a new format entered as its kind, rows and options
                vals["definition"] = self._definition_from_new_rows(vals, commands or [], options)
            # otherwise the definition is given and is the truth; the rows come from it
        formats = super().create(vals_list)
        formats._rows_from_definition()
        return formats

    @api.model
    def _definition_from_new_rows(self, vals, commands, options):
        """The JSON text of a format created from the form's kind, rows (create commands) and options."""
        kind = vals.get("kind")
        default_rule = "column" if kind == "csv" else "pattern"
        created = [command[2] for command in commands if command[0] == Command.CREATE and command[2]]
        created = sorted(created, key=lambda row: row.get("sequence") or 0)  # the list's order; sorted() is stable
        rows = [
            {key: _to_engine(key, row.get(name)) for name, key in ROW_FIELDS.items()}
            | {"rule": row.get("rule") or default_rule}
            for row in created
        ]
        engine_options = {
            OPTION_FIELDS[name]: _to_engine(OPTION_FIELDS[name], value) for name, value in options.items()
        }
        try:
            data = new_definition(vals.get("name"), kind, rows, engine_options)
        except ExtractionError as exc:
            raise ValidationError(
                _(
                    "The format '%(name)s' cannot be created: %(message)s",
                    name=vals.get("name") or "",
                    message=exc.message,
                )
            ) from None
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"

    def write(self, vals):
        if self.env.context.get(SYNCING):
            return super().write(vals)
        options = {name: vals.pop(name) for name in list(vals) if name in OPTION_FIELDS}
        if "definition" in vals:
            vals.pop("field_ids", None)  # the JSON edited in developer mode wins over the rows shown beside it
            result = super().write(vals)
            self._rows_from_definition()
            return result
        if not options and "field_ids" not in vals:
            return super().write(vals)
        self.filtered(lambda fmt: not fmt.field_ids)._rows_from_definition()  # a format from before the rows
        result = super(InvoiceImportFormat, self.with_context(**{SYNCING: True})).write(vals)
        for fmt in self:
            fmt._definition_from_editor(options)
        return result

    def _rows_from_definition(self):
        """Make the rows say what the definition says, reusing the rows in order (their ids stay)."""
        for fmt in self.with_context(**{SYNCING: True}):
            data = _definition_dict(fmt.definition)
            wanted = fmt._row_values(data) if data.get("kind") in ("csv", "pdf") else []
            rows = fmt.field_ids.sorted(lambda row: (row.sequence, row.id))
            commands = [Command.update(row.id, vals) for row, vals in zip(rows, wanted, strict=False)]
            commands += [Command.create(vals) for vals in wanted[len(rows) :]]
            commands += [Command.delete(row.id) for row in rows[len(wanted) :]]
            if commands:
                fmt.write({"field_ids": commands})

    def _definition_from_editor(self, options):
        """Write the definition the rows and the edited ``options`` (field name -> value) make."""
        self.ensure_one()
        original = _definition_dict(self.definition)
        engine_options = format_rows(original)["options"]
        engine_options.update({OPTION_FIELDS[name]: _to_engine(OPTION_FIELDS[name], v) for name, v in options.items()})
        rows = [row._engine_row() for row in self.field_ids.sorted(lambda row: (row.sequence, row.id))]
        try:
            data = definition_from_rows(original, rows, engine_options)
        except ExtractionError as exc:
            raise ValidationError(
                _("The format '%(name)s' cannot be saved: %(message)s", name=self.name, message=exc.message)
            ) from None
        if data != original:
            self.with_context(**{SYNCING: True}).write(
                {"definition": json.dumps(data, indent=2, ensure_ascii=False) + "\n"}
            )
        self._rows_from_definition()

    @api.model
    def _build_missing_rows(self):
        """On install and update: the rows of formats stored before formats had rows."""
        self.with_context(active_test=False).search([("field_ids", "=", False)])._rows_from_definition()
