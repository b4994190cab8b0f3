"""The page text as lines with their labels, and the document's own conventions.

Each extractor asks the same two questions: "what follows this label on
its line?" and "what is on the line below?".  This module answers them
once, and also reads what holds for the whole document: whether numeric
dates are day first and which decimal mark the amounts use, because one
unambiguous ``17/11/2017`` or ``2,076.76`` settles every ambiguous one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from ..layout import CELL_SEPARATOR, Layout, LayoutLine
from ..values import find_dates, infer_dayfirst
from .columns import pair_label_and_value_columns
from .labels import (
    CUSTOMER_ROLE,
    DELIVERY_ROLE,
    SUPPLIER_ROLE,
    TOTAL,
    TOTAL_QUALIFIER,
    UNTAXED,
    UNTAXED_QUALIFIER,
    LabelHit,
    find_labels,
    fold,
)

# Glyphs of fonts without a Unicode map come out of pdfplumber as "(cid:12)".
_CID = re.compile(r"\(cid:\d+\)")
_SPACES = re.compile(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000\t]")
_DECIMAL_COMMA = re.compile(r"(?<![\d.,])\d{1,3}(?:[. ']\d{3})*,\d{2}(?![\d.,])")
_DECIMAL_DOT = re.compile(r"(?<![\d.,])\d{1,3}(?:[, ']\d{3})*\.\d{2}(?![\d.,])")
_QUALIFIERS = (TOTAL_QUALIFIER, UNTAXED_QUALIFIER)
_COLUMN_GAP = re.compile(r"\s{2,}")  # two blanks or more in a line's text: a gap between columns
# "Rechnungsnummer / Invoice number": a label and its translation, apart by a slash or a bar (and blanks)
_BETWEEN_LANGUAGES = " /|"
_BETWEEN_CHAINED_LABELS = re.compile(r"[\s():.\-/]*")
# Parties a label's number may belong to, named between the label and its colon: "Bestellung Nr. Kunde:"
_OWNERS = (CUSTOMER_ROLE, SUPPLIER_ROLE, DELIVERY_ROLE)
_OWNER_GAP = re.compile(r"[ .]*")  # a blank or a dot: the party's word goes on the label within its cell
_COLON_NEXT = re.compile(r"\s*:")
_OPEN_REMARK = re.compile(r"\s*\([^()]{0,20}")
_REMARK_CHARS = 20
# A row of values under a row of titles follows it within this many text heights.
_ROW_GAP = 1.5
_DOLLARS = re.compile(r"(?:US)?\$\s?\d|\bUSD\b|\(\$\)")
_EUROPEAN_MONEY = re.compile(r"[€£]|\b(?:EUR|GBP|CHF|AUD|CAD|NZD|ABN|GST)\b")
# A European VAT number printed (a UK or EU company may well bill in dollars): its dates are day first.
_EUROPEAN_VAT_NUMBER = re.compile(
    r"\b(?:AT|BE|BG|CH|CY|CZ|DE|DK|EE|EL|FI|FR|GB|HR|HU|IE|IT|LT|LU|LV|MT|NL|NO|PL|PT|RO|SE|SI|SK|XI)"
    r"U?[ ]?[0-9A-Z]{0,2}\d{7,12}(?:B\d\d)?\b"
)
# Punctuation between a label and its value; a minus sign before a digit belongs to the value.
LEADING_SEPARATORS = re.compile(r"^(?:[\s:#.°º=|]|[\-–—](?!\s?\d))*")


@dataclass
class Line:
    index: int
    page: int
    text: str
    folded: str
    hits: list[LabelHit] = field(default_factory=list)
    geometry: LayoutLine | None = None  # where its words are, when the document came as positioned words


@dataclass
class Segment:
    """The text a label introduces on its own line: up to the next label."""

    line: Line
    start: int
    end: int
    hit: LabelHit

    @property
    def text(self) -> str:
        return self.line.text[self.start : self.end]


class Document:
    """The lines of all pages with their labels, and what holds for the whole document.

    Built from positioned words (``layout``: one line per layout line, the
    geometry kept) or, for callers that only have text, from page texts.
    """

    def __init__(self, pages: list[str] | None = None, layout: Layout | None = None):
        self.lines: list[Line] = []
        self.layout = layout
        if layout is not None:
            for geometry in layout.lines:
                text = clean_page_text(geometry.text)
                if len(text) != len(geometry.text):  # offsets must stay those of the words
                    text = geometry.text
                folded = fold(text)
                hits = _outside_remarks(text, _labels_within_cells(text, folded, geometry))
                self.lines.append(Line(len(self.lines), geometry.page, text, folded, hits, geometry))
            pages = layout.page_texts()
        for page_number, page in enumerate(pages if layout is None else []):
            for raw in clean_page_text(page).split("\n"):
                text = raw.strip()
                if not text:
                    continue
                self.lines.append(_text_line(len(self.lines), page_number, text))
        self.text = "\n".join(line.text for line in self.lines)
        self.memo: dict = {}  # per-document results the extractors share (amounts of a line...)
        # OCR text prints a column of labels apart from its values; positioned words never do
        self._paired = {} if layout is not None else pair_label_and_value_columns(self.lines)
        order = infer_dayfirst(self.text)
        self.date_order_known = order is not None
        self.dayfirst = order if order is not None else not _american(self.text)
        self.decimal_mark = infer_decimal_mark(self.text)

    def hits(self, field_name: str) -> Iterator[tuple[Line, LabelHit, float]]:
        """Every label that may introduce ``field_name``, with its strength.

        A qualifier glued to a total label decides which total it is:
        "Montant total HT" is the untaxed amount, not the total.  Each
        field's readers ask again and again: the labels are gathered once
        per field (``memo``), the lines and their labels being fixed.
        """
        key = ("hits", field_name)
        if key not in self.memo:
            self.memo[key] = list(self._gather_hits(field_name))
        return iter(self.memo[key])

    def _gather_hits(self, field_name: str) -> Iterator[tuple[Line, LabelHit, float]]:
        for line in self.lines:
            for hit in line.hits:
                strength = hit.strength(field_name)
                if field_name in (TOTAL, UNTAXED) and hit.strength(TOTAL):
                    if self._qualifier_after(line, hit) == UNTAXED_QUALIFIER:
                        strength = hit.strength(TOTAL) if field_name == UNTAXED else 0.0
                if strength:
                    yield line, hit, strength

    def _qualifier_after(self, line: Line, hit: LabelHit) -> str | None:
        position = line.hits.index(hit)
        for following in line.hits[position + 1 : position + 2]:
            gap = line.text[hit.end : following.start]
            for name in _QUALIFIERS:
                if following.strength(name) and _BETWEEN_CHAINED_LABELS.fullmatch(gap):
                    return name
        return None

    def segment_after(self, line: Line, hit: LabelHit) -> Segment:
        """From the end of the label (and of qualifiers glued to it) to the next label."""
        end_of_label = hit.end
        position = line.hits.index(hit)
        following = line.hits[position + 1 :]
        while following and any(f in _QUALIFIERS for f, _ in following[0].fields):
            gap = line.text[end_of_label : following[0].start]
            if not _BETWEEN_CHAINED_LABELS.fullmatch(gap):
                break
            end_of_label = following[0].end
            following = following[1:]
        if following and self.owner_after(line, hit) is not None:
            end_of_label, following = following[0].end, following[1:]
        # a qualifier that ends the label leaves a ")" or ":" behind
        start = end_of_label + len(LEADING_SEPARATORS.match(line.text[end_of_label:]).group(0))
        while start < len(line.text) and line.text[start] in ")]:":
            start += 1
        end = following[0].start if following else len(line.text)
        return Segment(line, min(start, end), end, hit)

    def owner_after(self, line: Line, hit: LabelHit) -> str | None:
        """The party whose number the label is, named between the label and its colon, or None.

        "Bestellung Nr. Kunde: B-88123", "Order No. customer: 4711",
        "Auftrag Nr. Lieferant: SO-12": a generator names the owner of each
        reference after its label.  The party's word is then part of the
        label (its value follows the colon), not a party's heading: it goes
        on the label within its cell and closes it with the colon.  Returns
        the party's role (``CUSTOMER_ROLE``, ``SUPPLIER_ROLE``, ``DELIVERY_ROLE``).
        """
        position = line.hits.index(hit)
        if position + 1 >= len(line.hits):
            return None
        party = line.hits[position + 1]
        gap = line.text[hit.end : party.start]
        if not _OWNER_GAP.fullmatch(gap) or CELL_SEPARATOR in gap or not _COLON_NEXT.match(line.text[party.end :]):
            return None
        return next((role for role in _OWNERS if party.strength(role)), None)

    def segment_past_translation(self, line: Line, hit: LabelHit) -> Segment:
        """What follows the label, or its translation's when only a slash or a bar stands between them.

        "Rechnungsdatum / Invoice date 05.03.2024": a bilingual label is two
        labels of one field, and its value follows the second.
        """
        segment = self.segment_after(line, hit)
        position = line.hits.index(hit)
        if segment.text.strip() and between_languages(segment.text) and position + 1 < len(line.hits):
            return self.segment_after(line, line.hits[position + 1])
        return segment

    def in_sentence(self, line: Line, hit: LabelHit) -> bool:
        """True when the label word runs on into lower-case prose ("Invoice to pay by wire transfer")."""
        rest = line.text[hit.end :].lstrip(" :")
        return bool(rest) and rest[0].islower()

    def in_prose(self, line: Line, hit: LabelHit, words: int = 1) -> bool:
        """True when a lower-case word leads into the label within its cell: a mention in a sentence, not a field.

        "Rechnung gemäß Bestellung Nr. 2018-471331 vom 01.03.2018", "bitte
        Kundennummer 35040727 und Belegnummer 2018092011804 angeben": a
        remark quoting a number is less sure than a field's own label
        ("Handelsrechnung Nr. E2018092011804"), which starts its line or cell.
        A gap of columns ends the text before the label.  ``words``: how many
        words must lead up to the label, at least, for a reader that drops
        what such a label introduces rather than trusting it less.
        """
        before = _COLUMN_GAP.split(line.text[self._cell_start(line, hit) : hit.start])[-1]
        return len(before.split()) >= words and _word_before(before)[:1].islower()

    def starts_cell(self, line: Line, hit: LabelHit) -> bool:
        """Whether nothing but blanks precedes the label in its cell (or on its line): a field's title."""
        return not line.text[self._cell_start(line, hit) : hit.start].strip()

    def _cell_start(self, line: Line, hit: LabelHit) -> int:
        """Where the label's cell starts: its column's left edge, or the column gap printed before it."""
        cell = self.cell_of(line, hit.start)
        if cell is not None:
            return cell[0]
        gap = line.text.rfind(CELL_SEPARATOR, 0, hit.start)
        return 0 if gap < 0 else gap + len(CELL_SEPARATOR)

    def ends_cell(self, line: Line, hit: LabelHit) -> bool:
        """Whether the label is the last thing in its cell (a colon aside): a title of a header row, maybe.

        In a header row the cell after a label can be a title the vocabulary
        does not know ("Factura nº   Código cliente   Fecha"); the label's
        value is then under it, not in that cell.
        """
        cell = self.cell_of(line, hit.start)
        return cell is not None and not line.text[hit.end : cell[1]].strip(" :.#°º")

    def is_last_label(self, line: Line, hit: LabelHit) -> bool:
        segment = self.segment_after(line, hit)
        return segment.end == len(line.text) and not segment.text.strip()

    def paired_value(self, line: Line) -> Line | None:
        """The value line that OCR printed apart from this label line (see ``columns``)."""
        index = self._paired.get(line.index)
        return None if index is None else self.lines[index]

    def header_cell(self, line: Line, hit: LabelHit) -> tuple[str, Line] | None:
        """The value under ``hit`` when its line is a row of column titles ("Invoice No.  Date  Order No.").

        The line below must hold as many cells as the row has titles; a date
        counts as one cell however it is spelled.
        """
        titles = [h for h in line.hits if not self.segment_after(line, h).text.strip()]
        if len(titles) < 2 or hit not in titles or len(titles) != len(line.hits):
            return None
        for below in self.below(line, 1):
            cells = _cells(below.text)
            if len(cells) == len(titles):
                return cells[titles.index(hit)], below
        return None

    def below(self, line: Line, count: int = 1) -> list[Line]:
        return self.lines[line.index + 1 : line.index + 1 + count]

    def under(self, line: Line, hit: LabelHit, count: int = 1) -> list[Line]:
        """What is printed under a label: the cells beneath its words, going down, up to ``count``.

        With positioned words this is geometry: the cell below that overlaps
        the label horizontally, skipping lines that print nothing there (the
        address block beside a column of header fields).  The cells come as
        lines of their own text, indexed as the lines that hold them.
        Without positions it is the next lines.
        """
        if self.layout is None or line.geometry is None:
            return self.below(line, count)
        span = line.geometry.x_of(hit.start, hit.end)
        if span is None:
            return self.below(line, count)
        title = _title_span(line, hit)
        cells, index = [], line.index
        while len(cells) < count:
            found = self.layout.cell_below(index, *span)
            if found is None and title is not None:
                found = self.layout.cell_below(index, *title)
            if found is None:
                break
            index, cell = found
            below = self.lines[index]
            text = below.text[cell.start : cell.end] if below.text[cell.start : cell.end] == cell.text else cell.text
            cells.append(_text_line(index, below.page, text))
        return cells

    def column_under(self, line: Line, hit: LabelHit) -> Line | None:
        """The value under a title of a row of titles that does not reach under the title's words.

        Header tables print a row of titles over a row of values; numbers
        are right-aligned in their column, so a short value under a long
        title ("PO number" over "88123") may end past the title and start
        after its words.  The column is the room between the neighbouring
        titles; the next line must be a row of values too (two cells at
        least) and hold exactly one cell inside that room.
        """
        if self.layout is None or line.geometry is None:
            return None
        cells = line.geometry.cells
        cell = line.geometry.cell_at(hit.start)
        if cell is None or len(cells) < 2 or line.index + 1 >= len(self.lines):
            return None
        position = cells.index(cell)
        left = cells[position - 1].x1 if position else float("-inf")
        right = cells[position + 1].x0 if position + 1 < len(cells) else float("inf")
        below = self.lines[line.index + 1]
        geometry = below.geometry
        if geometry is None or geometry.page != line.geometry.page or len(geometry.cells) < 2:
            return None
        if geometry.top - line.geometry.bottom > _ROW_GAP * line.geometry.height:
            return None
        inside = [c for c in geometry.cells if left < c.x0 and c.x1 < right]
        if len(inside) != 1:
            return None
        return _text_line(below.index, below.page, inside[0].text)

    def words_under(self, line: Line, hit: LabelHit) -> Line | None:
        """The words under a title, in a row of values whose cells run together.

        A browser prints a header table's cells with a little padding: the
        gap between two values ("15/05/2024" under "Due date", "PO-23124"
        under "Purchase order") can be narrower than a column gap, and the
        row then reads as one cell.  The title's value starts with the first
        word under the title's words; those before it belong to the column
        on its left.  None when the cell starts under the title (``under``'s
        answer is the whole cell then).
        """
        if self.layout is None or line.geometry is None:
            return None
        span = line.geometry.x_of(hit.start, hit.end)
        found = self.layout.cell_below(line.index, *span) if span is not None else None
        if found is None:
            return None
        index, cell = found
        text = words_within(cell, *span)
        return None if text is None else _text_line(index, self.lines[index].page, text)

    def cell_of(self, line: Line, offset: int) -> tuple[int, int] | None:
        """(start, end) of the cell holding ``offset`` in ``line``, when the line has positions."""
        if line.geometry is None:
            return None
        cell = line.geometry.cell_at(offset)
        return None if cell is None else (cell.start, cell.end)


def between_languages(text: str) -> bool:
    """Whether ``text`` holds nothing but what parts a label from its translation: a slash or a bar, blanks."""
    return not text.strip(_BETWEEN_LANGUAGES)


def words_within(cell, x0: float, x1: float) -> str | None:
    """The words of ``cell`` from the first under the span ``x0..x1``, when words wholly left of it come first.

    Values sit under their titles, left- or right-aligned, and run on to
    the right; words that end before the title starts are the value of the
    column on its left.
    """
    first = next((n for n, word in enumerate(cell.words) if word.x0 < x1 and x0 < word.x1), None)
    if not first:  # None (nothing under the span) or 0 (the cell starts under it)
        return None
    return " ".join(word.text for word in cell.words[first:])


def _word_before(text: str) -> str:
    """The last word of ``text`` when it is a word of letters ("gemäß", "und"), else ""."""
    words = text.split()
    return words[-1] if words and words[-1].isalpha() else ""


def _title_span(line: Line, hit: LabelHit) -> tuple[float, float] | None:
    """The x span of the label's whole cell when it is the cell's only label ("Total (VAT incl.)").

    A title right-aligned over a right-aligned value can end past the
    label's own words: the value sits under the title's remark.
    """
    cell = line.geometry.cell_at(hit.start)
    if cell is None or any(other is not hit and cell.start <= other.start < cell.end for other in line.hits):
        return None
    return cell.x0, cell.x1


def _labels_within_cells(text: str, folded: str, geometry: LayoutLine) -> list[LabelHit]:
    """Labels of a positioned line, none running across a column gap.

    Two header cells side by side ("Invoice #" then "Date") fold to one
    longer label ("invoice date") if read as one text; a label is printed in
    one piece, so each cell is read on its own when a label would span two.
    """
    hits = find_labels(folded, text)
    cells = geometry.cells
    if len(cells) < 2 or all(_in_one_cell(hit, cells) for hit in hits):
        return hits
    kept = []
    for cell in cells:
        part = find_labels(folded[cell.start : cell.end], text[cell.start : cell.end])
        kept += [replace(hit, start=hit.start + cell.start, end=hit.end + cell.start) for hit in part]
    return kept


def _in_one_cell(hit: LabelHit, cells) -> bool:
    return any(cell.start <= hit.start and hit.end <= cell.end for cell in cells)


def _text_line(index: int, page: int, text: str) -> Line:
    """A line of plain text (a page's line, or one cell's text) with the labels it holds outside remarks."""
    folded = fold(text)
    return Line(index, page, text, folded, _outside_remarks(text, find_labels(folded, text)))


def _outside_remarks(text: str, hits: list[LabelHit]) -> list[LabelHit]:
    """Drop labels inside a remark in parentheses after another label: "Netto (excl. USt.) 473,00".

    The remark qualifies the label before it; "USt." there introduces no
    value of its own.  Qualifiers are kept: they say which total it is.
    """
    kept = []
    for hit in hits:
        if kept and not any(name in _QUALIFIERS for name, _ in hit.fields):
            opened = text[kept[-1].end : hit.start]
            if _OPEN_REMARK.fullmatch(opened) and ")" in text[hit.end : hit.end + _REMARK_CHARS]:
                continue
        kept.append(hit)
    return kept


def clean_page_text(page: str) -> str:
    """Text as a reader sees it: unmapped glyphs dropped, exotic spaces made plain."""
    text = unicodedata.normalize("NFC", page or "")
    text = _CID.sub("", text)
    text = _SPACES.sub(" ", text)
    return text.replace("\r", "\n")


def _american(text: str) -> bool:
    """Amounts in US dollars and none in euros or pounds: ambiguous numeric dates are then read month first.

    Only a guess for dates that nothing else settles ("04/10/2020" and
    "05/10/2020"): US invoices print the month first, European ones the day,
    also when a European company (its VAT number printed) bills in dollars.
    """
    if not _DOLLARS.search(text) or _EUROPEAN_MONEY.search(text):
        return False
    return not _EUROPEAN_VAT_NUMBER.search(text)


def infer_decimal_mark(text: str) -> str | None:
    """The decimal mark of the whole document's amounts ("," or "."), None when it never shows."""
    commas = len(_DECIMAL_COMMA.findall(text))
    dots = len(_DECIMAL_DOT.findall(text))
    if commas == dots:
        return None
    return "," if commas > dots else "."


def _cells(text: str) -> list[str]:
    """Whitespace-separated values of a row, a date with spaces inside ("5 March 2024") being one."""
    spans = [(start, end) for start, end, _ in find_dates(text)]
    cells, position = [], 0
    for start, end in spans + [(len(text), len(text))]:
        cells += text[position:start].split()
        if end > start:
            cells.append(text[start:end])
        position = end
    return cells
