r"""Supplier formats: a supplier's CSV column map or PDF template, as plain JSON data.

A format is data, never code, so that an accountant can write one, the Odoo
layer can store it in a record and export it again, and a typo is refused
at load time instead of silently reading nothing.  Every key is checked:
an unknown key is an error (``invalid_format``) naming the key.

Keys shared by both kinds
-------------------------

=======================  ====================================================
``name``                 required; shown in the pivot's ``format``
``kind``                 required; ``"csv"`` or ``"pdf"``
``description``          optional free text
``fixed``                constant header values for this supplier, used when
                         the file gives none: ``currency``, ``document_type``,
                         ``supplier_name``, ``supplier_vat``,
                         ``supplier_email``, ``supplier_phone``,
                         ``supplier_iban``, ``customer_name``, ``customer_vat``
``date_format``          ``strptime`` pattern such as ``"%d.%m.%Y"``; a value
                         that does not fit it is read by the general date
                         parser, with a warning
``decimal_separator``    ``"."`` or ``","``; absent: inferred per value
``thousands_separator``  ``""``, ``"."``, ``","``, ``" "`` or ``"'"``
``document_types``       maps a value of the ``document_type`` field (a CSV
                         column or a PDF regex) to ``"invoice"`` or
                         ``"credit_note"``, case-insensitively; added to the
                         built-in words (Invoice, INV, Rechnung, RE, Facture,
                         Factuur, 380 / Credit note, CN, Gutschrift, GS, Avoir,
                         Creditnota, 381)
=======================  ====================================================

Header fields (the names used by ``fixed``, CSV ``columns`` and PDF
``fields``): ``invoice_number``, ``issue_date``, ``due_date``, ``currency``,
``amount_untaxed``, ``amount_tax``, ``amount_total``, ``supplier_name``,
``supplier_vat``, ``supplier_email``, ``supplier_phone``, ``supplier_iban``,
``customer_name``, ``customer_vat``, ``po_reference``, ``document_type``.
Line fields: ``product_code``, ``description``, ``quantity``,
``unit_price``, ``discount`` (percent), ``tax_rate`` (percent), ``amount``
(the line's net amount).

CSV formats (``"kind": "csv"``)
-------------------------------

=================  ==========================================================
``delimiter``      one character; absent: sniffed among ``; , TAB |``
``quotechar``      one character, default ``"``
``encoding``       a Python codec name; absent: detected (BOM, UTF-16,
                   UTF-8, else charset-normalizer among cp1252, cp850,
                   mac_roman, iso8859-15).  A byte-order mark always wins,
                   and so does valid UTF-8 where a single-byte encoding is
                   stated (both with a warning).
``skip_rows``      rows before the header (titles, export banners), default 0
``header_rows``    header rows, default 1; 0 means columns are given by
                   0-based index only.  A column name matches a cell of any
                   header row, the last header row first.
``footer_rows``    non-blank rows at the end to ignore (a grand-total row),
                   default 0.  Blank rows are always skipped.
``columns``        header field -> column name (string) or 0-based index
``line_columns``   line field -> column name or 0-based index
=================  ==========================================================

Each data row may carry header values and one line.  Rows are grouped into
invoices by the ``invoice_number`` column, wherever they are in the file
(the rows of one invoice need not be contiguous, a warning says so when they
are not); a row whose invoice-number cell is empty continues the invoice of
the row above.  Without an ``invoice_number`` column the whole file is one
invoice.  Header values are taken from the first row of each invoice; a
later row that disagrees is reported in a warning.  A row with every line
column empty adds no line.  A column name missing from the header is a
``csv_error`` naming the column and the header row.

A cell a spreadsheet would run as a formula (starting with ``= + - @``, a
tab or a carriage return, and not a plain number like ``-12,50``) is never
a value: in a text field it is kept as literal text with a warning, in a
number or date field the field is left empty with a warning.

PDF templates (``"kind": "pdf"``)
---------------------------------

============  ===============================================================
``keywords``  required, at least one: plain texts that all appear in this
              supplier's documents (matched case-insensitively, spaces
              ignored) -- how a template is chosen among several
``fields``    header field -> regular expression searched in the whole text
              (pages joined by newlines, ``re.MULTILINE``; write ``(?i)`` for
              case-insensitive).  The value is the named group ``value``,
              else the first group; a regex without a group is refused.  A
              list of regexes is tried in order, the first that finds wins.
``lines``     the line-item table, an object with the keys below
``template_free_fallback``
              ``true``: a field the template does not find is read by the
              template-free extractor, and the ``fixed`` values are used only
              on documents that show all the ``keywords`` (default false)
``learned``   set by ``learn.py`` on a template learned from confirmed bills:
              ``documents`` (the files it was learned from), ``fields``
              (field -> what its rule looks for, in words), ``fixed`` (the
              fixed keys that came from confirmed values), ``not_printed``
              (confirmed values the page did not show), ``in_sentence``
              (fields whose regex reads a value quoted in running text: the
              template-free reader's reading wins where the two differ).
              Otherwise informative only
============  ===============================================================

``lines`` keys: ``start`` (required) a regex for the line that opens the
table, typically its column titles; ``line`` (required) a regex matched
against each text line of the table, with named groups among the line
fields (``description`` or ``amount`` required); ``end`` a regex for the
line that closes it (say ``^Subtotal``), absent: the table runs to the end;
``ignore`` a list of regexes for lines to drop inside the table (repeated
page headers and footers); ``description_continuation`` (default false):
text lines between two items are appended to the description of the item
above.  A table left open at a page break continues on the next page from
the first line that matches ``line`` or a repeated ``start`` marker, so a
page header need not be listed in ``ignore``; unmatched text at the bottom
of a page is never taken as a continuation.

What both kinds do after reading
--------------------------------

Values found where the format says get confidence 1.0 (CSV column, or a
``fixed`` value) or 0.95 (PDF template regex); values a CSV format guessed
from the header names get 0.8.  Missing totals are computed (untaxed from
the lines, tax and total from each other or from the lines' tax rates) with
confidence 0.7 and a warning; stated totals are cross-checked against each
other and against the lines, and each disagreement is a warning.  A negative
total makes the document a credit note, and credit notes carry positive
amounts.  See ``checks.py``.

Abridged examples (complete ones: ``samples/formats/*.json``)::

    {"name": "ACME Industrial GmbH (CSV export)", "kind": "csv",
     "encoding": "cp1252", "delimiter": ";", "decimal_separator": ",",
     "thousands_separator": ".", "date_format": "%d.%m.%Y",
     "fixed": {"currency": "EUR", "supplier_name": "ACME Industrial GmbH"},
     "columns": {"invoice_number": "Rechnungsnr", "issue_date": "Rechnungsdatum"},
     "line_columns": {"description": "Bezeichnung", "quantity": "Menge",
                      "unit_price": "Einzelpreis", "amount": "Betrag netto"}}

    {"name": "Bolt Supplies Ltd (PDF invoice)", "kind": "pdf",
     "keywords": ["Bolt Supplies Ltd", "GB 123 4567 89"],
     "fixed": {"currency": "GBP"}, "date_format": "%d/%m/%Y",
     "fields": {"invoice_number": "^Invoice No:\\s*(?P<value>\\S+)",
                "amount_total": "^Total GBP (?P<value>[\\d,]+\\.\\d{2})$"},
     "lines": {"start": "^Code Description Qty", "end": "^Subtotal ",
               "line": "^(?P<product_code>BS-\\S+) (?P<description>.+) (?P<quantity>\\d+) ...",
               "ignore": ["^continued on next page$"]}}

>>> fmt = load_format('{"name": "x", "kind": "csv", "columns": {"invoice_number": 0}}')
>>> fmt.kind, fmt.columns
('csv', {'invoice_number': 0})
>>> load_format('{"name": "x", "kind": "csv", "delimeter": ";"}')
Traceback (most recent call last):
...
invoice_import.engine.errors.ExtractionError: unknown key 'delimeter' in format 'x' (did you mean 'delimiter'?)
"""

from __future__ import annotations

import codecs
import difflib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from .errors import ExtractionError
from .pivot import DOCUMENT_TYPES, Invoice
from .values import clean_text, parse_amount, parse_currency, parse_date

TEXT, AMOUNT, DATE, CURRENCY, DOCUMENT_TYPE = "text", "amount", "date", "currency", "document_type"

HEADER_FIELDS = {
    "invoice_number": TEXT,
    "issue_date": DATE,
    "due_date": DATE,
    "currency": CURRENCY,
    "amount_untaxed": AMOUNT,
    "amount_tax": AMOUNT,
    "amount_total": AMOUNT,
    "supplier_name": TEXT,
    "supplier_vat": TEXT,
    "supplier_email": TEXT,
    "supplier_phone": TEXT,
    "supplier_iban": TEXT,
    "customer_name": TEXT,
    "customer_vat": TEXT,
    "po_reference": TEXT,
    "document_type": DOCUMENT_TYPE,
}
LINE_FIELDS = {
    "product_code": TEXT,
    "description": TEXT,
    "quantity": AMOUNT,
    "unit_price": AMOUNT,
    "discount": AMOUNT,
    "tax_rate": AMOUNT,
    "amount": AMOUNT,
}
FIXABLE_FIELDS = (
    "currency",
    "document_type",
    "supplier_name",
    "supplier_vat",
    "supplier_email",
    "supplier_phone",
    "supplier_iban",
    "customer_name",
    "customer_vat",
)
DEFAULT_DOCUMENT_TYPES = {
    "invoice": "invoice",
    "rechnung": "invoice",
    "facture": "invoice",
    "factuur": "invoice",
    "380": "invoice",
    "inv": "invoice",
    "re": "invoice",
    "credit note": "credit_note",
    "credit_note": "credit_note",
    "creditnote": "credit_note",
    "credit": "credit_note",
    "gutschrift": "credit_note",
    "avoir": "credit_note",
    "facture d'avoir": "credit_note",
    "creditnota": "credit_note",
    "creditfactuur": "credit_note",
    "381": "credit_note",
    "cn": "credit_note",
    "gs": "credit_note",
}
THOUSANDS_SEPARATORS = ("", ".", ",", " ", "'")
MAX_FORMAT_BYTES = 1024 * 1024


@dataclass
class SupplierFormat:
    """What both kinds share: identity, constants and how values are written."""

    kind: ClassVar[str] = ""
    _KEYS: ClassVar[tuple[str, ...]] = (
        "description",
        "fixed",
        "date_format",
        "decimal_separator",
        "thousands_separator",
        "document_types",
    )

    name: str
    description: str | None = None
    fixed: dict[str, str] = field(default_factory=dict)
    date_format: str | None = None
    decimal_separator: str | None = None
    thousands_separator: str | None = None
    document_types: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        """The JSON this format was loaded from (defaults left out), for storage and export."""
        data = {"name": self.name, "kind": self.kind}
        for key in self._KEYS:
            value = getattr(self, key)
            if value is None or value == {} or value == []:
                continue
            data[key] = value.to_dict() if hasattr(value, "to_dict") else value
        return data

    def read_value(self, name: str, raw) -> tuple[object, str | None]:
        """Convert a raw text to the field's type under this format's conventions.

        Returns ``(value, note)``: a None value with a note means the text
        could not be read; a value with a note was read by a fallback.
        """
        kind = HEADER_FIELDS.get(name) or LINE_FIELDS[name]
        text = "" if raw is None else str(raw).strip()
        if not text:
            return None, None
        if kind == TEXT:
            return clean_text(text), None
        if kind == AMOUNT:
            value = parse_amount(text, self.decimal_separator, self.thousands_separator)
            return (value, None) if value is not None else (None, f"{text!r} is not a number")
        if kind == DATE:
            return self._read_date(text)
        if kind == CURRENCY:
            code = parse_currency(text)
            return (code, None) if code else (None, f"{text!r} is not a currency code")
        return self._read_document_type(text)

    def _read_date(self, text: str):
        if self.date_format:
            value = parse_date(text, fmt=self.date_format)
            if value is not None:
                return value, None
        value = parse_date(text)
        if value is None:
            return None, f"{text!r} is not a date"
        if self.date_format:
            return value, f"{text!r} does not fit date_format {self.date_format!r}; read as {value.isoformat()}"
        return value, None

    def _read_document_type(self, text: str):
        key = _fold(text)
        mapping = {**DEFAULT_DOCUMENT_TYPES, **{_fold(k): v for k, v in self.document_types.items()}}
        if key in mapping:
            return mapping[key], None
        return None, f"{text!r} is not a known document type (add it to document_types)"


@dataclass
class CsvFormat(SupplierFormat):
    """A supplier's CSV export: where each field is, and how the file is written."""

    kind: ClassVar[str] = "csv"
    _KEYS: ClassVar[tuple[str, ...]] = SupplierFormat._KEYS + (
        "delimiter",
        "quotechar",
        "encoding",
        "skip_rows",
        "header_rows",
        "footer_rows",
        "columns",
        "line_columns",
    )

    delimiter: str | None = None
    quotechar: str = '"'
    encoding: str | None = None
    skip_rows: int = 0
    header_rows: int = 1
    footer_rows: int = 0
    columns: dict[str, str | int] = field(default_factory=dict)
    line_columns: dict[str, str | int] = field(default_factory=dict)
    # How far a value read from a mapped column is trusted: 1.0 for a
    # supplier's own format, lower for a format guessed from the header.
    # Not part of the JSON.
    read_confidence: float = field(default=1.0, compare=False)

    def to_dict(self) -> dict:
        data = super().to_dict()
        for key, default in (("quotechar", '"'), ("skip_rows", 0), ("header_rows", 1), ("footer_rows", 0)):
            if data.get(key) == default:
                del data[key]
        return data


@dataclass
class LineTable:
    """Where a PDF template finds the line items, and how it reads one."""

    start: str
    line: str
    end: str | None = None
    ignore: list[str] = field(default_factory=list)
    description_continuation: bool = False

    def to_dict(self) -> dict:
        data = {"start": self.start, "line": self.line}
        if self.end is not None:
            data["end"] = self.end
        if self.ignore:
            data["ignore"] = list(self.ignore)
        if self.description_continuation:
            data["description_continuation"] = True
        return data


@dataclass
class PdfTemplate(SupplierFormat):
    """A supplier's PDF layout: keywords that recognise it and regexes that read it."""

    kind: ClassVar[str] = "pdf"
    _KEYS: ClassVar[tuple[str, ...]] = SupplierFormat._KEYS + (
        "keywords",
        "template_free_fallback",
        "learned",
        "fields",
        "positions",
        "lines",
    )

    keywords: list[str] = field(default_factory=list)
    fields: dict[str, str | list[str]] = field(default_factory=dict)
    positions: dict[str, dict | list[dict]] = field(default_factory=dict)
    lines: LineTable | None = None
    template_free_fallback: bool = False
    learned: dict | None = None

    def field_patterns(self, name: str) -> list[str]:
        """The field's regexes in the order they are tried (a hand-written template has one)."""
        patterns = self.fields.get(name)
        if patterns is None:
            return []
        return list(patterns) if isinstance(patterns, list) else [patterns]

    def position_rules(self, name: str) -> list[dict]:
        """The field's positional rules (``positions.py``) in the order they are tried."""
        rules = self.positions.get(name)
        if rules is None:
            return []
        return list(rules) if isinstance(rules, list) else [rules]

    def to_dict(self) -> dict:
        data = super().to_dict()
        if not self.template_free_fallback:
            data.pop("template_free_fallback", None)
        return data


def load_format(source) -> SupplierFormat:
    """A validated format from a path, a dict or a JSON string; ``invalid_format`` otherwise."""
    data = _load_json(source)
    if not isinstance(data, dict):
        raise ExtractionError("invalid_format", "a supplier format must be a JSON object")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise ExtractionError("invalid_format", "key 'name' is required and must be a non-empty string")
    kind = data.get("kind")
    classes = {"csv": CsvFormat, "pdf": PdfTemplate}
    if kind not in classes:
        raise ExtractionError("invalid_format", f"key 'kind' of format {name!r} must be 'csv' or 'pdf', not {kind!r}")
    cls = classes[kind]
    _refuse_unknown(data, ("name", "kind") + cls._KEYS, f"format {name!r}")
    checker = _Checker(name)
    common = checker.common(data)
    if cls is CsvFormat:
        return CsvFormat(name=name, **common, **checker.csv(data))
    return PdfTemplate(name=name, **common, **checker.pdf(data))


def assign_header(invoice: Invoice, name: str, value, confidence: float) -> None:
    """Set a header field by its format name (``supplier_vat`` -> ``invoice.supplier.vat``)."""
    target, attribute, key = _header_target(invoice, name)
    setattr(target, attribute, value)
    invoice.confidence[key] = confidence


def header_value(invoice: Invoice, name: str):
    target, attribute, _ = _header_target(invoice, name)
    return getattr(target, attribute)


def confidence_key(name: str) -> str:
    """The pivot's confidence key for a header field: ``supplier_vat`` -> ``supplier.vat``."""
    for party in ("supplier", "customer"):
        if name.startswith(party + "_"):
            return f"{party}.{name[len(party) + 1 :]}"
    return name


def apply_fixed(invoice: Invoice, fmt: SupplierFormat) -> None:
    """Fill the format's constants into the fields the document itself did not give."""
    for name, raw in fmt.fixed.items():
        if confidence_key(name) not in invoice.confidence:
            value, _ = fmt.read_value(name, raw)
            assign_header(invoice, name, value, 1.0)


def _header_target(invoice: Invoice, name: str):
    key = confidence_key(name)
    if "." in key:
        party, attribute = key.split(".")
        return getattr(invoice, party), attribute, key
    return invoice, name, key


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _load_json(source):
    if isinstance(source, dict):
        return source
    if isinstance(source, bytes):
        source = source.decode("utf-8", errors="replace")
    if isinstance(source, str) and source.lstrip().startswith(("{", "[")):
        text, origin = source, "the format JSON"
    else:
        path = Path(source)
        try:
            if path.stat().st_size > MAX_FORMAT_BYTES:
                raise ExtractionError("invalid_format", f"format file {path} is larger than {MAX_FORMAT_BYTES} bytes")
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ExtractionError("invalid_format", f"cannot read format file {path}: {exc}") from None
        origin = str(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ExtractionError("invalid_format", f"{origin} is not valid JSON: {exc}") from None


def _refuse_unknown(data: dict, allowed, where: str) -> None:
    for key in data:
        if key not in allowed:
            hint = difflib.get_close_matches(str(key), list(allowed), n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            raise ExtractionError("invalid_format", f"unknown key {key!r} in {where}{suggestion}")


class _Checker:
    """Type checks with messages that name the offending key."""

    def __init__(self, format_name: str):
        self.where = f"format {format_name!r}"

    def fail(self, key: str, problem: str):
        raise ExtractionError("invalid_format", f"key {key!r} of {self.where} {problem}")

    def string(self, data, key, required=False, allowed=None):
        value = data.get(key)
        if value is None:
            if required:
                self.fail(key, "is required")
            return None
        if not isinstance(value, str) or (required and not value.strip()):
            self.fail(key, "must be a non-empty string" if required else "must be a string")
        if allowed is not None and value not in allowed:
            self.fail(key, f"must be one of {', '.join(repr(a) for a in allowed)}, not {value!r}")
        return value

    def integer(self, data, key, default):
        value = data.get(key, default)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.fail(key, f"must be a whole number >= 0, not {value!r}")
        return value

    def mapping(self, data, key) -> dict:
        value = data.get(key, {})
        if not isinstance(value, dict):
            self.fail(key, "must be an object")
        return value

    def regex(self, key, pattern, need_group=True) -> re.Pattern:
        if not isinstance(pattern, str) or not pattern:
            self.fail(key, "must be a non-empty regular expression string")
        try:
            compiled = re.compile(pattern, re.MULTILINE)
        except re.error as exc:
            self.fail(key, f"is not a valid regular expression: {exc}")
        if need_group and compiled.groups == 0:
            self.fail(key, "needs a capturing group: (?P<value>...) or (...)")
        return compiled

    def common(self, data) -> dict:
        fixed = self.mapping(data, "fixed")
        _refuse_unknown(fixed, FIXABLE_FIELDS, f"'fixed' of {self.where}")
        for key, value in fixed.items():
            if not isinstance(value, str) or not value.strip():
                self.fail(f"fixed.{key}", "must be a non-empty string")
        document_types = self.mapping(data, "document_types")
        for key, value in document_types.items():
            if value not in DOCUMENT_TYPES:
                self.fail(f"document_types.{key}", f"must be one of {', '.join(DOCUMENT_TYPES)}, not {value!r}")
        date_format = self.string(data, "date_format")
        if date_format is not None and "%" not in date_format:
            self.fail("date_format", f"must be a strptime pattern such as '%d.%m.%Y', not {date_format!r}")
        decimal = self.string(data, "decimal_separator", allowed=(".", ","))
        thousands = self.string(data, "thousands_separator", allowed=THOUSANDS_SEPARATORS)
        if decimal is not None and thousands == decimal:
            self.fail("thousands_separator", "must differ from decimal_separator")
        result = {
            "description": self.string(data, "description"),
            "fixed": dict(fixed),
            "date_format": date_format,
            "decimal_separator": decimal,
            "thousands_separator": thousands,
            "document_types": dict(document_types),
        }
        probe = SupplierFormat(name="probe", **result)
        for key, value in fixed.items():
            if probe.read_value(key, value)[0] is None:
                self.fail(f"fixed.{key}", f"has a value that cannot be read: {value!r}")
        return result

    def csv(self, data) -> dict:
        result = {}
        for key in ("delimiter", "quotechar"):
            value = self.string(data, key)
            if value is not None and (len(value) != 1 or value in "\r\n"):
                self.fail(key, f"must be exactly one character (not a line break), not {value!r}")
            if value is not None:
                result[key] = value
        encoding = self.string(data, "encoding")
        if encoding is not None:
            try:
                codecs.lookup(encoding)
            except LookupError:
                self.fail("encoding", f"names no known encoding: {encoding!r}")
        result["encoding"] = encoding
        for key, default in (("skip_rows", 0), ("header_rows", 1), ("footer_rows", 0)):
            result[key] = self.integer(data, key, default)
        for key, known in (("columns", HEADER_FIELDS), ("line_columns", LINE_FIELDS)):
            columns = self.mapping(data, key)
            _refuse_unknown(columns, tuple(known), f"{key!r} of {self.where}")
            for name, column in columns.items():
                self._column(f"{key}.{name}", column, result["header_rows"])
            result[key] = dict(columns)
        if not result["columns"] and not result["line_columns"]:
            self.fail("columns", "and 'line_columns' map no column at all")
        return result

    def _column(self, key, column, header_rows):
        if isinstance(column, bool) or not isinstance(column, (str, int)):
            self.fail(key, f"must be a column name or a 0-based index, not {column!r}")
        if isinstance(column, int) and column < 0:
            self.fail(key, f"must be a 0-based index >= 0, not {column}")
        if isinstance(column, str) and not column.strip():
            self.fail(key, "must not be an empty column name")
        if isinstance(column, str) and header_rows == 0:
            self.fail(key, f"names column {column!r} but header_rows is 0: give a 0-based index")

    def pdf(self, data) -> dict:
        keywords = data.get("keywords")
        if not isinstance(keywords, list) or not keywords:
            self.fail("keywords", "is required: a list of at least one text found on every document of this supplier")
        for keyword in keywords:
            if not isinstance(keyword, str) or not keyword.strip():
                self.fail("keywords", f"must hold non-empty strings, not {keyword!r}")
        fields = self.mapping(data, "fields")
        _refuse_unknown(fields, tuple(HEADER_FIELDS), f"'fields' of {self.where}")
        for name, pattern in fields.items():
            if isinstance(pattern, list):
                if not pattern:
                    self.fail(f"fields.{name}", "must be a regular expression or a non-empty list of them")
                for index, alternative in enumerate(pattern):
                    self.regex(f"fields.{name}[{index}]", alternative)
            else:
                self.regex(f"fields.{name}", pattern)
        positions = self._positions(data.get("positions"))
        lines = data.get("lines")
        table = None
        if lines is not None:
            table = self._line_table(lines)
        fallback = data.get("template_free_fallback", False)
        if not isinstance(fallback, bool):
            self.fail("template_free_fallback", "must be true or false")
        return {
            "keywords": list(keywords),
            "fields": {k: list(v) if isinstance(v, list) else v for k, v in fields.items()},
            "positions": positions,
            "lines": table,
            "template_free_fallback": fallback,
            "learned": self._learned(data.get("learned")),
        }

    def _positions(self, positions) -> dict:
        """Positional rules (``positions.py``): per field one rule object or a non-empty list of them."""
        from .positions import FIELD_KINDS, KINDS, WHERE

        if positions is None:
            return {}
        if not isinstance(positions, dict):
            self.fail("positions", "must be an object mapping field names to rules")
        _refuse_unknown(positions, tuple(FIELD_KINDS), f"'positions' of {self.where}")
        checked = {}
        for name, rules in positions.items():
            many = isinstance(rules, list)
            if many and not rules:
                self.fail(f"positions.{name}", "must be a rule or a non-empty list of rules")
            for index, rule in enumerate(rules if many else [rules]):
                where = f"positions.{name}" + (f"[{index}]" if many else "")
                if not isinstance(rule, dict):
                    self.fail(where, "must be an object with 'label', 'where' and 'kind'")
                allowed = ("label", "where", "kind", "shape", "cells_after", "skip", "nth")
                _refuse_unknown(rule, allowed, f"'{where}' of {self.where}")
                label = rule.get("label")
                if not isinstance(label, str) or not label.split():
                    self.fail(f"{where}.label", "is required: the label's words as printed")
                for key, allowed in (("where", WHERE), ("kind", KINDS)):
                    if rule.get(key) not in allowed:
                        choices = ", ".join(repr(choice) for choice in allowed)
                        self.fail(f"{where}.{key}", f"must be one of {choices}, not {rule.get(key)!r}")
                for key in ("cells_after", "skip", "nth"):
                    if key in rule and (not isinstance(rule[key], int) or isinstance(rule[key], bool) or rule[key] < 0):
                        self.fail(f"{where}.{key}", "must be a whole number, 0 or more")
                if "shape" in rule:
                    self.regex(f"{where}.shape", rule["shape"], need_group=False)
            checked[name] = [dict(rule) for rule in rules] if many else dict(rules)
        return checked

    def _learned(self, learned) -> dict | None:
        """The provenance block of a learned template, checked for shape; only ``in_sentence`` changes a reading."""
        if learned is None:
            return None
        if not isinstance(learned, dict):
            self.fail("learned", "must be an object")
        allowed = ("documents", "fields", "positions", "fixed", "not_printed", "in_sentence")
        _refuse_unknown(learned, allowed, f"'learned' of {self.where}")
        for key in ("documents", "fixed", "not_printed", "in_sentence"):
            items = learned.get(key, [])
            if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
                self.fail(f"learned.{key}", "must be a list of texts")
        for key in ("fields", "positions"):
            notes = learned.get(key, {})
            if not isinstance(notes, dict) or not all(isinstance(note, str) for note in notes.values()):
                self.fail(f"learned.{key}", "must map field names to texts")
        return {key: value for key, value in learned.items()}

    def _line_table(self, lines) -> LineTable:
        if not isinstance(lines, dict):
            self.fail("lines", "must be an object with 'start', 'line' and optionally 'end', 'ignore'")
        allowed = ("start", "line", "end", "ignore", "description_continuation")
        _refuse_unknown(lines, allowed, f"'lines' of {self.where}")
        for key in ("start", "line"):
            if key not in lines:
                self.fail(f"lines.{key}", "is required")
        self.regex("lines.start", lines["start"], need_group=False)
        line = self.regex("lines.line", lines["line"], need_group=False)
        unknown_groups = set(line.groupindex) - set(LINE_FIELDS)
        if unknown_groups:
            group = sorted(unknown_groups)[0]
            hint = difflib.get_close_matches(group, list(LINE_FIELDS), n=1)
            suggestion = f" (did you mean {hint[0]!r}?)" if hint else ""
            self.fail("lines.line", f"has a group {group!r} that is no line field{suggestion}")
        if not {"description", "amount"} & set(line.groupindex):
            self.fail("lines.line", "needs a named group (?P<description>...) or (?P<amount>...)")
        end = lines.get("end")
        if end is not None:
            self.regex("lines.end", end, need_group=False)
        ignore = lines.get("ignore", [])
        if not isinstance(ignore, list):
            self.fail("lines.ignore", "must be a list of regular expressions")
        for index, pattern in enumerate(ignore):
            self.regex(f"lines.ignore[{index}]", pattern, need_group=False)
        continuation = lines.get("description_continuation", False)
        if not isinstance(continuation, bool):
            self.fail("lines.description_continuation", "must be true or false")
        return LineTable(
            start=lines["start"],
            line=lines["line"],
            end=end,
            ignore=list(ignore),
            description_continuation=continuation,
        )


# The files (kinds of engine/sniff.py) a supplier format reads: a PDF template reads a PDF's text and the
# text OCR reads from a scan; a CSV format reads CSV. An XML e-invoice is read without any format.
FORMAT_FILE_KINDS = {"csv": ("csv",), "pdf": ("pdf", "image")}
_FORMAT_WORDS = {"csv": "a CSV format", "pdf": "a PDF template"}
_FILE_WORDS = {"csv": "a CSV file", "pdf": "a PDF", "image": "an image", "xml": "an XML e-invoice"}


def format_mismatch(format_kind: str, file_kind: str) -> str | None:
    """Why this format cannot read this file, in one sentence; None when it fits (or the file kind is unknown).

    Trying a PDF template on a CSV must say so, not that no format was
    given: the file is then read without the format (columns guessed).

    >>> format_mismatch("pdf", "csv")
    'The format is a PDF template and the file is a CSV file: the format does not fit the file, which was read \
without it.'
    >>> format_mismatch("pdf", "image"), format_mismatch("csv", "csv"), format_mismatch("csv", "unknown")
    (None, None, None)
    """
    if file_kind not in _FILE_WORDS or format_kind not in FORMAT_FILE_KINDS:
        return None
    if file_kind in FORMAT_FILE_KINDS[format_kind]:
        return None
    return (
        f"The format is {_FORMAT_WORDS[format_kind]} and the file is {_FILE_WORDS[file_kind]}: "
        "the format does not fit the file, which was read without it."
    )
