"""Supplier CSV exports into pivot invoices, driven by a ``CsvFormat``.

Suppliers' exports differ in everything a CSV can differ in: encoding
(UTF-8 with or without BOM, UTF-16 from Excel, cp1252 from older ERPs),
delimiter, decimal comma, date style, one row per line with the header
repeated, several invoices in one file.  The format says what it knows and
the rest is detected, so the format stays short.

Cells are data, never formulas: a cell starting with ``= + - @``, a tab or a
carriage return that is not a plain number is stored with a leading
apostrophe (with a warning) in a text field and refused in a numeric or
date field, so that nothing read here can turn into a spreadsheet formula
downstream (Odoo's XLSX export writes "=..." as a live formula).  NUL
characters are removed from the text, with a warning.

See ``formats.py`` for the keys of a CSV format and how rows are grouped.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import re
import unicodedata
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass

from . import checks
from .checks import looks_like_formula, neutralise_formula
from .errors import ExtractionError
from .formats import (
    HEADER_FIELDS,
    LINE_FIELDS,
    TEXT,
    CsvFormat,
    apply_fixed,
    assign_header,
    confidence_key,
    header_value,
)
from .limits import Deadline, Limits
from .pivot import Invoice, Line
from .values import clean_text, parse_amount

DELIMITERS = (";", ",", "\t", "|")
# Single-byte encodings tried when a file is not UTF-8 and its format names
# none: those of Western European exports (Windows, DOS, old Mac, ISO).
WESTERN_ENCODINGS = ["cp1252", "cp850", "mac_roman", "iso8859_15"]
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
GUESSED_CONFIDENCE = 0.8


def read_csv(
    data: bytes, fmt: CsvFormat, limits: Limits | None = None, deadline: Deadline | None = None
) -> list[Invoice]:
    """Every invoice in the file, in the order of their first row; ``csv_error`` when it does not fit ``fmt``."""
    if not isinstance(fmt, CsvFormat):
        raise ExtractionError("invalid_format", f"format {fmt.name!r} is a {fmt.kind} template, not a CSV format")
    limits = limits or Limits()
    deadline = deadline or Deadline(limits.max_seconds)
    text, encoding_warnings = decode_csv(data, fmt.encoding)
    table = _Table(text, fmt, limits, deadline)
    columns = _resolve_columns(fmt, table)
    drafts = _group_rows(fmt, table, columns)
    if not drafts:
        raise ExtractionError("csv_error", "the CSV has no data rows below its header")
    invoices = []
    for draft in drafts:
        invoice = draft.finish(fmt)
        invoice.warnings[:0] = encoding_warnings
        invoices.append(invoice)
    return invoices


def decode_csv(data: bytes, encoding: str | None = None) -> tuple[str, list[str]]:
    """Text of the file and warnings.

    A byte-order mark beats the stated encoding, and so does valid UTF-8
    with accented letters where a single-byte encoding is stated: a
    supplier who switches an export to UTF-8 would otherwise get "MÃ¼ller".
    """
    warnings = []
    bom_codec = next((codec for bom, codec in _BOMS if data.startswith(bom)), None)
    if bom_codec:
        if encoding and not _same_family(encoding, bom_codec):
            warnings.append(f"the file starts with a {bom_codec} byte-order mark: read as such, not as {encoding}")
        codec, stated = bom_codec, True
    elif encoding and not codecs.lookup(encoding).name.startswith("utf") and _is_utf8_beyond_ascii(data):
        warnings.append(f"the file is UTF-8, not {encoding} as the format says: read as UTF-8")
        codec, stated = "utf-8", True
    elif encoding:
        codec, stated = encoding, True
    else:
        codec, stated = _detect_encoding(data), False
        if codec != "utf-8":
            warnings.append(f"the format names no encoding: the file was read as {codec}")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        if stated:
            raise ExtractionError(
                "csv_error",
                f"the file is not valid {codec}: byte {data[exc.start]:#04x} at offset {exc.start} "
                "(check the format's encoding)",
            ) from None
        text = data.decode("cp1252", errors="replace")
        warnings.append("the encoding could not be detected: read as cp1252, unreadable bytes replaced")
    nuls = text.count("\x00")
    if nuls:
        text = text.replace("\x00", "")
        warnings.append(f"the file holds {nuls} NUL character(s) (byte 0), which no invoice text has: removed")
    return text.lstrip("\ufeff"), warnings


def sniff_delimiter(text: str, quotechar: str = '"') -> str:
    """The candidate splitting the most lines into the same number (> 1) of cells, then the most cells."""
    lines = [line for line in text[:65536].splitlines()[:50] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in DELIMITERS:
        try:
            widths = [len(row) for row in csv.reader(lines, delimiter=delimiter, quotechar=quotechar)]
        except csv.Error:
            continue
        if not widths:
            continue
        width, _ = Counter(widths).most_common(1)[0]
        if width < 2:
            continue
        score = (sum(1 for w in widths if w == width), width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _same_family(encoding: str, bom_codec: str) -> bool:
    name = codecs.lookup(encoding).name
    return name.replace("-sig", "").split("-")[:2] == codecs.lookup(bom_codec).name.replace("-sig", "").split("-")[:2]


def _is_utf8_beyond_ascii(data: bytes) -> bool:
    if data.isascii():
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _detect_encoding(data: bytes) -> str:
    sample = data[:65536]
    zeros_even, zeros_odd = sample[0::2].count(0), sample[1::2].count(0)
    if zeros_odd > len(sample) // 4 and zeros_even * 4 < zeros_odd:
        return "utf-16-le"
    if zeros_even > len(sample) // 4 and zeros_odd * 4 < zeros_even:
        return "utf-16-be"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        first_non_ascii = exc.start
    import charset_normalizer

    start = max(0, first_non_ascii - 32768)
    best = charset_normalizer.from_bytes(data[start : start + 65536], cp_isolation=WESTERN_ENCODINGS).best()
    return best.encoding if best is not None else "cp1252"


class _Table:
    """Header rows read at once, data rows streamed: a large file is never held twice as cells.

    Blank rows are skipped; the format's footer rows are held back and
    dropped at the end; the row cap and the time cap are checked as rows
    come in, so an oversized file stops early.
    """

    def __init__(self, text: str, fmt: CsvFormat, limits: Limits, deadline: Deadline):
        delimiter = fmt.delimiter or sniff_delimiter(text, fmt.quotechar)
        self.fmt, self.limits, self.deadline = fmt, limits, deadline
        self._count_rows(text, delimiter)
        self.reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=fmt.quotechar)
        self.header: list[list[str]] = []
        with self._errors():
            for index, cells in zip(range(fmt.skip_rows + fmt.header_rows), self.reader, strict=False):
                if index >= fmt.skip_rows:
                    self.header.append(cells)
        if len(self.header) < fmt.header_rows:
            raise ExtractionError("csv_error", f"the CSV has no header row after skipping {fmt.skip_rows} rows")
        self.width = max((len(row) for row in self.header), default=0)
        self._first = None
        if not fmt.header_rows:  # columns by index only: the first data row tells the width
            self._first = next(self._data_rows(), None)
            self.width = len(self._first[1]) if self._first else 0
        self._rest = self._data_rows()

    def _count_rows(self, text: str, delimiter: str) -> None:
        """Refuse a file over the row cap before any row is read into values.

        Splitting rows is C code and some 50 times quicker than reading
        them; a 49 MB file of a million rows is refused in a second instead
        of half a minute.  Blank rows count here: a file of a million empty
        lines is as costly as any.
        """
        cap = self.limits.max_csv_rows + self.fmt.skip_rows + self.fmt.header_rows + self.fmt.footer_rows
        if text.count("\n", 0, None) <= cap:
            return
        splitter = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=self.fmt.quotechar)
        with self._errors(splitter):
            for count, _cells in enumerate(splitter, start=1):
                if count > cap:
                    raise ExtractionError(
                        "csv_error", f"the CSV has more than {self.limits.max_csv_rows} data rows (the configured cap)"
                    )
                if count % 20_000 == 0:
                    self.deadline.check("reading the CSV")

    def rows(self) -> Iterator[tuple[int, list[str]]]:
        """``(row number, cells)`` of every non-blank data row, footer rows left out."""
        if self._first is not None:
            yield self._first
        held = deque()
        for row in self._rest:
            held.append(row)
            if len(held) > self.fmt.footer_rows:
                yield held.popleft()

    def _data_rows(self) -> Iterator[tuple[int, list[str]]]:
        cap = self.limits.max_csv_rows + self.fmt.footer_rows
        count = 0
        with self._errors():
            for cells in self.reader:
                count += 1
                if count > cap:
                    raise ExtractionError(
                        "csv_error", f"the CSV has more than {self.limits.max_csv_rows} data rows (the configured cap)"
                    )
                if count % 1000 == 0:
                    self.deadline.check("reading the CSV")
                if any(cell.strip() for cell in cells):
                    yield self.reader.line_num, cells

    @contextlib.contextmanager
    def _errors(self, reader=None):
        try:
            yield
        except csv.Error as exc:
            line = (reader or self.reader).line_num
            raise ExtractionError("csv_error", f"row {line}: the CSV cannot be parsed: {exc}") from None


@dataclass
class _Column:
    index: int
    label: str


def _resolve_columns(fmt: CsvFormat, table: _Table) -> dict[str, _Column]:
    """Field -> column; a column the format names and the header lacks is a ``csv_error``."""
    width = table.width
    resolved = {}
    for name, column in {**fmt.columns, **fmt.line_columns}.items():
        what = f"{'line field' if name in LINE_FIELDS else 'field'} {name}"
        if isinstance(column, int):
            if column >= width:
                raise ExtractionError(
                    "csv_error", f"column index {column} ({what}) is beyond the {width} columns of the file"
                )
            label = _header_label(table.header, column) or f"#{column}"
            resolved[name] = _Column(column, label)
            continue
        index = _find_header(table.header, column)
        if index is None:
            header_row = fmt.skip_rows + fmt.header_rows
            names = ", ".join(repr(c) for c in table.header[-1] if c.strip()) if table.header else "nothing"
            raise ExtractionError(
                "csv_error",
                f"column {column!r} ({what}) not found in the header (row {header_row}); the header has {names}",
            )
        resolved[name] = _Column(index, column)
    return resolved


def _find_header(header: list[list[str]], name: str) -> int | None:
    wanted = _fold(name)
    for row in reversed(header):
        for index, cell in enumerate(row):
            if _fold(cell) == wanted:
                return index
    return None


def _header_label(header, index) -> str | None:
    for row in reversed(header):
        if index < len(row) and row[index].strip():
            return row[index].strip()
    return None


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.lstrip("\ufeff")).strip().casefold()


class _Draft:
    """One invoice being assembled from its rows."""

    def __init__(self):
        self.invoice = Invoice()
        self.rows: list[int] = []
        self.gaps = False
        self.disagreements: set[str] = set()
        self.cells_read: set[tuple[str, str]] = set()

    def finish(self, fmt: CsvFormat) -> Invoice:
        invoice = self.invoice
        invoice.source, invoice.format = "csv", fmt.name
        if self.gaps:
            invoice.warnings.append(
                f"the rows of invoice {invoice.invoice_number} are not contiguous "
                f"(rows {', '.join(map(str, self.rows))}): grouped by invoice number"
            )
        apply_fixed(invoice, fmt)
        if invoice.lines:
            invoice.confidence["lines"] = fmt.read_confidence
        checks.finish_invoice(invoice)
        return invoice


def _group_rows(fmt: CsvFormat, table: _Table, columns: dict[str, _Column]) -> list[_Draft]:
    drafts: dict[str | None, _Draft] = {}
    key_column = columns.get("invoice_number")
    header_width = table.width if table.header else 0
    ragged_reported = False
    current = None
    for row_number, cells in table.rows():
        key = clean_text(_cell(cells, key_column.index)) if key_column else None
        if key is None and key_column:
            if current is None:
                raise ExtractionError(
                    "csv_error",
                    f"row {row_number}: column {key_column.label!r} (field invoice_number) is empty "
                    "and no invoice precedes it",
                )
            draft = current
        elif key in drafts:
            draft = drafts[key]
            draft.gaps = draft.gaps or draft is not current
        else:
            draft = drafts[key] = _Draft()
            if key_column:
                raw = _cell(cells, key_column.index)
                number = _read_cell(fmt, "invoice_number", raw, row_number, key_column, draft.invoice.warnings)
                assign_header(draft.invoice, "invoice_number", number, fmt.read_confidence)
        draft.rows.append(row_number)
        current = draft
        if header_width and len(cells) < header_width and not ragged_reported:
            ragged_reported = True
            draft.invoice.warnings.append(
                f"row {row_number} has {len(cells)} cells, the header has {header_width}: missing cells read as empty"
            )
        _read_row(fmt, draft, row_number, cells, columns)
    return list(drafts.values())


def _cell(cells: list[str], index: int) -> str:
    return cells[index] if index < len(cells) else ""


def _read_row(fmt: CsvFormat, draft: _Draft, row_number: int, cells: list[str], columns: dict[str, _Column]) -> None:
    invoice = draft.invoice
    for name in fmt.columns:
        if name == "invoice_number":
            continue
        column = columns[name]
        raw = _cell(cells, column.index)
        if (name, raw) in draft.cells_read:
            continue  # the value repeated on each row of the invoice: read (and warned about) once
        draft.cells_read.add((name, raw))
        value = _read_cell(fmt, name, raw, row_number, column, invoice.warnings)
        if value is None:
            continue
        key = confidence_key(name)
        if key not in invoice.confidence:
            assign_header(invoice, name, value, fmt.read_confidence)
        elif header_value(invoice, name) != value and name not in draft.disagreements:
            draft.disagreements.add(name)
            invoice.warnings.append(
                f"row {row_number}: column {column.label!r} says {value} for invoice {invoice.invoice_number}, "
                f"an earlier row says {header_value(invoice, name)}: the first is kept"
            )
    line_cells = {name: _cell(cells, columns[name].index) for name in fmt.line_columns}
    if any(cell.strip() for cell in line_cells.values()):
        line = Line()
        for name, raw in line_cells.items():
            setattr(line, name, _read_cell(fmt, name, raw, row_number, columns[name], invoice.warnings))
        invoice.lines.append(line)


def _read_cell(fmt: CsvFormat, name: str, raw: str, row_number: int, column: _Column, warnings: list[str]):
    """One cell as the field's type; a problem becomes a warning naming row and column, never an exception."""
    where = f"row {row_number}, column {column.label!r}"
    kind = HEADER_FIELDS.get(name) or LINE_FIELDS[name]
    if looks_like_formula(raw):
        if kind == TEXT:
            warnings.append(
                f"{where}: {raw.strip()!r} looks like a spreadsheet formula: stored as text, with a leading apostrophe"
            )
            return neutralise_formula(clean_text(raw))
        warnings.append(f"{where}: {raw.strip()!r} looks like a spreadsheet formula, not a value: {name} left empty")
        return None
    value, note = fmt.read_value(name, raw)
    if note:
        warnings.append(f"{where}: {note}" + ("" if value is not None else f": {name} left empty"))
    return value


# Column titles seen in supplier exports (English, German, French, Dutch),
# ' | '-separated, compared after ``normalise_header_name``.  A title maps to one field only;
# "total"-like titles are settled by the data in ``_settle_amount_columns``.
HEADER_SYNONYMS = {
    "invoice_number": (
        "invoice no | invoice | inv no | invoice id | invoice ref | document no | rechnungsnummer | "
        "rechnungs no | rechnung no | re no | belegnummer | beleg no | no facture | no de facture | "
        "facture no | facture | numero facture | factuurnummer | factuur no | factuurnr | factuur"
    ),
    "issue_date": (
        "invoice date | date | document date | rechnungsdatum | datum | belegdatum | date facture | "
        "date de facture | date de la facture | factuurdatum"
    ),
    "due_date": (
        "due date | payment due | due | falligkeit | falligkeitsdatum | fallig am | zahlbar bis | "
        "echeance | date echeance | date d echeance | vervaldatum | vervaldag"
    ),
    "currency": "currency | currency code | wahrung | devise | monnaie | valuta | munteenheid",
    "amount_untaxed": (
        "net total | total net | subtotal | total excl vat | total excl tax | amount excl vat | "
        "nettobetrag | netto gesamt | gesamt netto | summe netto | nettosumme | total ht | montant ht | "
        "montant total ht | totaal excl btw | subtotaal | bedrag excl btw"
    ),
    "amount_tax": (
        "vat | tax | vat amount | tax amount | mwst | mwst betrag | umsatzsteuer | ust | steuer | "
        "steuerbetrag | mwst gesamt | summe mwst | tva | montant tva | total tva | btw | btw bedrag"
    ),
    "amount_total": (
        "total | invoice total | total amount | grand total | gross total | total incl vat | amount due | "
        "bruttobetrag | gesamtbetrag | brutto gesamt | rechnungsbetrag | gesamtsumme | summe brutto | "
        "total ttc | montant ttc | montant total | totaal | totaal incl btw | totaalbedrag | te betalen"
    ),
    "supplier_name": "supplier | vendor | supplier name | vendor name | lieferant | fournisseur | leverancier",
    "supplier_vat": (
        "supplier vat | vat id | vat no | vat reg no | ust idnr | ust id | ust id no | no tva | "
        "tva intracommunautaire | btw no | btw nummer | btw id"
    ),
    "customer_name": "customer | customer name | bill to | kunde | kundenname | client | klant",
    "po_reference": (
        "po | po no | purchase order | order no | your order | bestell no | bestellnummer | bestellung | "
        "ihre bestellung | no commande | commande | bon de commande | bestel no | bestelnummer | "
        "inkooporder | uw order"
    ),
    "document_type": "document type | type | belegart | dokumentart | type de document | documenttype",
    "product_code": (
        "sku | item code | product code | item no | part no | article no | product id | artikelnummer | "
        "artikel no | art no | artikelnr | reference | ref | code article | code produit | artikelcode | "
        "productcode"
    ),
    "description": (
        "description | item | product | item description | product name | designation | libelle | "
        "bezeichnung | beschreibung | artikelbezeichnung | artikel | leistung | produit | article | "
        "omschrijving | product omschrijving | artikelomschrijving"
    ),
    "quantity": "qty | quantity | menge | anzahl | quantite | qte | aantal | hoeveelheid",
    "unit_price": (
        "unit price | price | price per unit | unit cost | rate | einzelpreis | preis | stuckpreis | "
        "e preis | prix unitaire | prix | pu ht | prix unitaire ht | eenheidsprijs | prijs | stukprijs"
    ),
    "discount": "discount | discount % | rabatt | rabatt % | remise | remise % | korting | korting %",
    "tax_rate": (
        "vat % | vat rate | tax rate | tax % | mwst % | mwst satz | steuersatz | ust % | taux tva | tva % | "
        "taux de tva | btw % | btw tarief | btw percentage"
    ),
    "amount": (
        "amount | line total | line amount | net amount | total price | extended price | betrag | betrag netto | "
        "gesamtpreis | positionsbetrag | netto | montant | montant ligne | prix total | bedrag | "
        "regelbedrag | regeltotaal | totaalprijs"
    ),
}


def normalise_header_name(text: str) -> str:
    """Fold a column title: case, accents, punctuation; 'N°', '#', 'Nr.', 'Nummer' become 'no'.

    >>> normalise_header_name("N° Facture"), normalise_header_name("Rechnungs-Nr."), normalise_header_name("Qté")
    ('no facture', 'rechnungs no', 'qte')
    >>> normalise_header_name("Rechnungsnr"), normalise_header_name("Factuurnummer")
    ('rechnungs no', 'factuur no')
    """
    text = re.sub(r"(?i)\bn\s*[°º]|[°#]", " no ", str(text))
    folded = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    folded = re.sub(r"[^\w%]+", " ", folded)
    folded = re.sub(r"\b(nr|number|nummer|numero|num)\b", "no", folded)
    folded = re.sub(r"\b(\w{2,}?)(nr|nummer)\b", r"\1 no", folded)  # Rechnungsnr, Factuurnummer
    return re.sub(r"\s+", " ", folded).strip()


_SYNONYM_FIELDS = {
    normalise_header_name(title): name for name, titles in HEADER_SYNONYMS.items() for title in titles.split(" | ")
}
_AMOUNT_COLUMNS = ("amount_total", "amount_untaxed", "amount")
_HEADER_SEARCH_ROWS = 5


def guess_csv_format(data: bytes, limits: Limits | None = None) -> CsvFormat | None:
    """A format read off the header names of a CSV nobody described; None when it names no invoice data.

    The header is looked for in the first rows; the file must name an
    invoice number or an amount column.  Decimal mark and day/month order
    are settled from the data.  Values read through a guessed format get
    a confidence of 0.8, not 1.0.
    """
    limits = limits or Limits()
    text, _ = decode_csv(data)
    delimiter = sniff_delimiter(text)
    sample_rows = list(_first_rows(text, delimiter, 200))
    best_row, best_map = None, {}
    for index, row in enumerate(sample_rows[:_HEADER_SEARCH_ROWS]):
        mapping = _map_header(row)
        if len(mapping) > len(best_map):
            best_row, best_map = index, mapping
    if best_row is None or not ({"invoice_number", *_AMOUNT_COLUMNS} & set(best_map)):
        return None
    header = sample_rows[best_row]
    data_rows = sample_rows[best_row + 1 :]
    _settle_amount_columns(best_map, data_rows)
    if "invoice_number" not in best_map and not set(_AMOUNT_COLUMNS) & set(best_map):
        return None
    numeric = [name for name in best_map if (HEADER_FIELDS.get(name) or LINE_FIELDS.get(name)) == "amount"]
    dates = [name for name in best_map if HEADER_FIELDS.get(name) == "date"]
    return CsvFormat(
        name="guessed from the CSV header",
        delimiter=delimiter,
        skip_rows=best_row,
        decimal_separator=_guess_decimal_separator(_column_cells(data_rows, best_map, numeric)),
        date_format=_guess_date_format(_column_cells(data_rows, best_map, dates)),
        columns={name: header[i].strip() for name, i in best_map.items() if name in HEADER_FIELDS},
        line_columns={name: header[i].strip() for name, i in best_map.items() if name in LINE_FIELDS},
        read_confidence=GUESSED_CONFIDENCE,
    )


def _first_rows(text: str, delimiter: str, count: int):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for index, row in enumerate(reader):
            if index >= count:
                return
            yield row
    except csv.Error:
        return


def _map_header(row: list[str]) -> dict[str, int]:
    mapping = {}
    titles = [cell.strip() for cell in row]
    for index, title in enumerate(titles):
        name = _SYNONYM_FIELDS.get(normalise_header_name(title))
        if name and name not in mapping and titles.index(title) == index:
            mapping[name] = index
    return mapping


def _settle_amount_columns(mapping: dict[str, int], rows: list[list[str]]) -> None:
    """A 'Total' or 'Montant HT' next to quantity and price is the line's; a lone 'Amount' is the invoice's."""
    has_line_detail = bool({"quantity", "unit_price", "description", "product_code"} & set(mapping))
    if "amount" in mapping and not has_line_detail and "amount_total" not in mapping:
        mapping["amount_total"] = mapping.pop("amount")
    for header_total in ("amount_untaxed", "amount_total"):
        if "amount" in mapping or header_total not in mapping or not has_line_detail:
            continue
        column = mapping[header_total]
        if _varies_within_invoice(mapping, rows, column) or _is_quantity_times_price(mapping, rows, column):
            mapping["amount"] = mapping.pop(header_total)


def _varies_within_invoice(mapping, rows, column) -> bool:
    if "invoice_number" not in mapping:
        return len({_cell(row, column).strip() for row in rows if any(row)}) > 1
    seen = {}
    for row in rows:
        key = _cell(row, mapping["invoice_number"]).strip()
        value = _cell(row, column).strip()
        if key and seen.setdefault(key, value) != value:
            return True
    return False


def _is_quantity_times_price(mapping, rows, column) -> bool:
    if not {"quantity", "unit_price"} <= set(mapping):
        return False
    fits = 0
    for row in rows:
        quantity = parse_amount(_cell(row, mapping["quantity"]))
        price = parse_amount(_cell(row, mapping["unit_price"]))
        total = parse_amount(_cell(row, column))
        if None not in (quantity, price, total):
            fits += 1 if abs(quantity * price - total) <= checks.CENT else -1
    return fits > 0


def _column_cells(rows, mapping, names) -> list[str]:
    return [_cell(row, mapping[name]).strip() for row in rows for name in names if _cell(row, mapping[name]).strip()]


_DECIMAL_COMMA = re.compile(r"(?:^|[^\d,])\d{1,3}(?:\.\d{3})*,\d{1,2}$|^-?\d+,\d{1,2}$")
_DECIMAL_POINT = re.compile(r"(?:^|[^\d.])\d{1,3}(?:,\d{3})*\.\d{1,2}$|^-?\d+\.\d{1,2}$")


def _guess_decimal_separator(cells: list[str]) -> str | None:
    """The mark that ends values with one or two decimals, when the data agree on one."""
    comma = sum(1 for cell in cells if _DECIMAL_COMMA.search(cell.replace("\u00a0", "").replace(" ", "")))
    point = sum(1 for cell in cells if _DECIMAL_POINT.search(cell.replace("\u00a0", "").replace(" ", "")))
    if comma and not point:
        return ","
    if point and not comma:
        return "."
    return None


_NUMERIC_DATE = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4})")


def _guess_date_format(cells: list[str]) -> str | None:
    """Month first only when the data prove it (a second number above 12 and never a first one)."""
    month_first = day_first = False
    separator = None
    for cell in cells:
        match = _NUMERIC_DATE.fullmatch(cell)
        if not match:
            continue
        separator = match[2]
        day_first |= int(match[1]) > 12
        month_first |= int(match[3]) > 12
    if month_first and not day_first and separator:
        return f"%m{separator}%d{separator}%Y"
    return None
