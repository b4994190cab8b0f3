"""Identifiers: the document number, the buyer's order reference, invoice or credit note.

An identifier is the first token after its label that holds a digit
("RE-20140519/499", "PO445", "2013-471331"), never a date, a word or a
sentence.  A bare title ("Invoice", "Facture", "Rechnung") is a weaker
label than "Invoice number": it introduces the number only when a token
with a digit follows it directly.
"""

from __future__ import annotations

import re

from ..layout import CELL_SEPARATOR
from ..values import find_dates
from .columns import PAIRED_FACTOR
from .confidence import Evidence
from .document import LEADING_SEPARATORS, Document, Line, Segment, between_languages, words_within
from .headings import HYPHENS, WRAP_ALIGN, under_another_title, wrapped_labels
from .labels import (
    CREDIT_TITLE,
    CUSTOMER_ROLE,
    DELIVERY_ROLE,
    ISSUE_DATE,
    NUMBER,
    NUMMER,
    PO,
    SUPPLIER_ROLE,
    TITLE,
    find_labels,
    fold,
)

_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9\-/._]*")
# "No.", "Nr.:", "n° :", "Nr. #": a number word and its marks, matched after a label ("Customer PO No.:   88123")
# or searched for among a title's words ("Rechnung des Versicherers Nr. 4711"): a word of its own, never a word's
# start ("November", "Nota")
_NUMBER_WORD = re.compile(
    r"(?<!\w)(?:no|nr|n°|nº|n|num|number|nummer|numéro|numero)(?!\w)\.?\s*[:#]?\s*", re.IGNORECASE
)
# "Ihre Bestellung vom 01.03.2018 Nr. B-88123", "Votre commande du 01/03/2018 n° 88123": the order's date first
_DATE_PREPOSITION = re.compile(r"^(?:vom|du|of|dated|from|del|van)\s+", re.IGNORECASE)
# "PO 88123", "4500 123 456": a prefix of capitals or a digit group, then one to three groups of digits
_SPACED_REFERENCE = re.compile(r"(?:[A-Z]{1,4}|\d+) \d+(?: \d+){0,2}")
_SPACED_DATE = re.compile(r"\d{1,2} \d{1,2} \d{2}(?:\d{2})?")  # "01 03 2018": a date spaced out, not groups
_DATE_NUMBER_SEPARATOR = re.compile(r"^[:/]\s*")
# "Order No./Date", "Bestellnummer/-datum": a label for the order's number and its date, the number first
_AND_DATE_LABEL = re.compile(r"^\.?\s*/\s*-?\s*(?:datum|date|fecha|data)(?!\w)\.?\s*:?", re.IGNORECASE)
_MAX_IDENTIFIER = 40
_CODE_PIECE = re.compile(r" (\d[\d\-/]{0,4})(?=$|[\s,;:)])")
_MAX_PIECES = 3
_BOX_EDGES = ("<", "[", "{")
_SPECK_CHARS = 3  # what OCR makes of a colon or a speck of dust between a label and its value
# A title printed in the first lines of the page is the document's title.
_TITLE_LINES = 12
# A code under the title with an unreadable label: below a bare title followed by its number (0.55).
_UNDER_TITLE = 0.45
_HASH_LABEL = re.compile(r"^[|\[(]?#\s*:\s*")
_HASH_STRENGTH = 0.6
_TITLE_SENTENCE_CHARS = 50  # the title's words before "Nr.": "des Versicherers (575)", "de prestations de mai"
_DATE_SPAN = 30  # enough for the longest date spelling ("24. September 2014", "1st of December, 2014")
# "Handelsrechnung (380) Nr. 471102", "Invoice (copy) No. 4711": an aside between the title and its number
_ASIDE = re.compile(r"^(?:\s*\([^()]{1,40}\)){1,2}")
# What OCR leaves of a short label in a shaded or boxed cell ("#" read as "ie", "eH"): no digit, this short.
_GARBLED_LABEL_CHARS = 3
# A row of column titles: the title of the number's column and at least two others ("Customer", "Date").
_HEADER_ROW_TITLES = 3
# A label a sentence runs into ("bitte ... und Belegnummer 2018092011804 angeben") quotes a number in a remark.
_IN_PROSE = 0.6
_WRAPPED_FACTOR = 0.9
# the rest of a code wrapped after a hyphen or slash: letters and digits, in pieces apart by more ("RE/" "2023/040")
_CONTINUATION = re.compile(r"[A-Za-z0-9]+(?:[-/][A-Za-z0-9]+)*")
_COLON_AFTER = re.compile(r"\s*:")
_COLON_LABEL = 0.85  # a bare order word starting its cell with a colon after it: a field's title ("Bestellung:")
_ORDER_WORD = 0.5  # the strength of the bare order words ("Bestellung", "Order"); references are surer (0.75)
_ORDER_IN_PROSE = 0.9  # an order label a sentence runs into: above a mere reference's label (0.75), below a field's
# An order reference of letters alone: capitals ("WEBSHOP"), or words joined by "-", "_" or "/" ("Proj-Alpha").
_CODE_WITHOUT_DIGITS = re.compile(r"[A-Z]{2,}(?:[-_/.][A-Z]+)*|[A-Za-z]+(?:[-_/][A-Za-z]+)+")
_MIN_CODE_CHARS = 5
_PLACEHOLDERS = ("na", "none", "nil", "tbd", "keine", "aucun", "aucune", "ninguno", "nessuno", "geen")
_SURE_LABEL = 0.9
_WITHOUT_DIGITS_FACTOR = 0.6
_WRAPS_AT = (*HYPHENS, "/")  # where a browser breaks a code a narrow cell cannot hold
_PARTY_ROLES = (CUSTOMER_ROLE, SUPPLIER_ROLE, DELIVERY_ROLE)  # labels whose values name a party, not a field
_DATE_LABEL_STRENGTH = 0.9  # "Invoice date", "Rechnungsdatum": the date of the document, not any "Date"


def identifier_in(text: str) -> tuple[str, int] | None:
    """The identifier at the start of ``text`` (after separators) and where it starts."""
    offset = len(LEADING_SEPARATORS.match(text).group(0))
    if text[offset : offset + 1] in _BOX_EDGES and text[offset + 1 : offset + 2].isalnum():
        offset += 1  # a box's edge OCR read as a bracket glued to the value ("<A7450891")
    rest = text[offset:]
    word = _NUMBER_WORD.match(rest)
    if word and _IDENTIFIER.match(rest[word.end() :]):
        offset += word.end()
        rest = rest[word.end() :]
    match = _IDENTIFIER.match(rest)
    if not match:
        return None
    token = _rejoin_pieces(match.group(0), rest[match.end() :]).rstrip("._-/")
    if not token or not any(ch.isdigit() for ch in token) or len(token) > _MAX_IDENTIFIER:
        return None
    dates = find_dates(token)
    if dates and dates[0][1] - dates[0][0] >= len(token) - 1:
        return None
    if _starts_a_date(rest, len(token)):
        return None  # "Beitragsrechnung 24. Januar 2014": the day of a date written in words, not a number
    return token, offset


def _starts_a_date(text: str, token_length: int) -> bool:
    """Whether ``text`` starts with a date running past the token the identifier pattern took ("24. Januar 2014").

    A date inside the token is a number built on the day it was issued
    ("20240210-SAMPLE", "20231105-001"), a common numbering scheme.

    >>> _starts_a_date("24. Januar 2014", 2), _starts_a_date("20240210-SAMPLE", 15)
    (True, False)
    """
    return any(start == 0 and end > token_length for start, end, _date in find_dates(text[:_DATE_SPAN]))


def _rejoin_pieces(token: str, rest: str) -> str:
    """A structured code OCR split at narrow glyphs ("FA-201 7-001 0") is one token again; others stay apart."""
    if not re.search(r"[\-/]", token):
        return token
    for _ in range(_MAX_PIECES):
        piece = _CODE_PIECE.match(rest)
        if not piece or not token[-1:].isdigit() and token[-1:] not in "-/":
            break
        token += piece.group(1)
        rest = rest[piece.end() :]
    return token


def _identifier_after_aside(text: str) -> tuple[str, int] | None:
    """The identifier after a parenthesised aside that follows the label, and where it starts.

    Pages drawn from an e-invoice print its type code after the title
    ("Handelsrechnung (380) Nr. 471102", "Gutschrift (Selbst ausgestellte
    Rechnung) (389) Nr. 47110818"), others
    a copy mark ("Invoice (copy) No. 4711", "Facture (duplicata) n° ...").
    The aside is not the number: what follows it is, when a number word or
    a code comes right after it.
    """
    aside = _ASIDE.match(text)
    if aside is None:
        return None
    found = identifier_in(text[aside.end() :])
    if found is None or found[1] > 2 and not _NUMBER_WORD.match(text[aside.end() :].lstrip()):
        return None
    return found[0], aside.end() + found[1]


def identifier_shape(token: str) -> float:
    """How much a token looks like a document number rather than a count or a code fragment."""
    if len(token) >= 4:
        return 1.0
    if len(token) >= 2:
        return 0.7
    return 0.4


def _identifier_after(doc: Document, line: Line, segment: Segment) -> tuple[str, float, Line] | None:
    """The identifier a label introduces: on its line, else under it (or where OCR put its column)."""
    found = identifier_in(segment.text) or _identifier_after_aside(segment.text)
    if found and len(found[0]) == 1 and line.geometry is not None:
        # a lone character ending its cell before a code in the next one: OCR's colon or degree sign ("N° 6.")
        after = segment.text[found[1] + 1 :].lstrip("._-/:")
        beyond = identifier_in(after[len(CELL_SEPARATOR) :]) if after.startswith(CELL_SEPARATOR) else None
        if beyond and beyond[1] == 0 and identifier_shape(beyond[0]) == 1.0:
            return beyond[0], 0.85, line
    if found and under_another_title(doc, line, segment.hit, *_span(segment, found)):
        found = None  # the next column's value, under its own title: this label's is under it
    if found:
        return found[0], 1.0, line
    if line.geometry is not None and CELL_SEPARATOR in segment.text:
        # OCR specks before the value's own cell ("FACTURE N° es.   F20260024": the colon read as "es.")
        speck, rest = segment.text.split(CELL_SEPARATOR, 1)
        found = identifier_in(rest) if len(speck.strip()) <= _SPECK_CHARS and not any(
            ch.isdigit() for ch in speck
        ) else None  # fmt: skip
        if found and found[1] == 0:
            return found[0], 0.85, line
    if not between_languages(segment.text) and not doc.ends_cell(line, segment.hit):
        if not _number_word_alone(segment.text) and not _row_of_titles(line):
            return None
    paired = doc.paired_value(line)
    if paired is not None:  # one of a column of labels: the line below is the next label, not the value
        found = identifier_in(paired.text)
        return (found[0], PAIRED_FACTOR, paired) if found and found[1] <= 2 else None
    if line.geometry is not None:  # positioned words: the cell under the label, wherever the line below starts
        words = doc.words_under(line, segment.hit)  # a row of values read as one cell: from the words under it
        for below in [words] if words is not None else doc.under(line, segment.hit, 1):
            found = identifier_in(below.text)
            if found and found[1] <= 2:
                return found[0], 0.8, below
        column = doc.column_under(line, segment.hit)  # right-aligned in its column, clear of the title's words
        found = identifier_in(column.text) if column is not None else None
        return (found[0], 0.75, column) if found and found[1] <= 2 else None
    cell = doc.header_cell(line, segment.hit)
    if cell is not None:
        found = identifier_in(cell[0])
        return (found[0], 0.75, cell[1]) if found else None
    for below in doc.below(line, 1):
        found = identifier_in(below.text)
        if found and found[1] <= 2:
            return found[0], 0.75, below
    return None


def _span(segment: Segment, found: tuple[str, int]) -> tuple[int, int]:
    """Where an identifier found in a segment stands in its line's text."""
    start = segment.start + found[1]
    return start, start + len(found[0])


def invoice_number_evidence(doc: Document) -> Evidence:
    evidence = Evidence()
    for field_name, factor in ((NUMBER, 1.0), (TITLE, 1.0), (CREDIT_TITLE, 1.0)):
        for line, hit, strength in doc.hits(field_name):
            segment = doc.segment_after(line, hit)
            found = _identifier_after(doc, line, segment) or _code_wrapped_after(doc, line, segment)
            if not found and field_name != NUMBER:
                found = _number_in_title_sentence(doc, line, hit)
            if not found:
                continue
            token, position_factor, where = found
            if field_name != NUMBER and position_factor < 1.0 and not _heads_its_number(doc, line, hit, found):
                continue  # a title alone on its line is not followed by the number below
            token = _continued(doc, where, token)
            score = strength * factor * position_factor * identifier_shape(token) * _prose_factor(doc, line, hit)
            evidence.add(token, score, f"after '{hit.phrase}'", where.index)
    _add_hash_label(doc, evidence)
    _add_wrapped_label_values(doc, NUMBER, evidence)
    if doc.layout is not None:
        _add_number_word_under_title(doc, evidence)
    if not evidence and doc.layout is not None:
        _add_number_under_title(doc, evidence)
    if not evidence and doc.layout is not None:
        _add_number_above_issue_date(doc, evidence)
    return evidence


def _continued(doc: Document, where: Line, token: str) -> str:
    """A code a narrow cell wrapped after a hyphen or a slash, whole again: "INV-2023-" over "3345".

    A browser breaks a long value at its hyphens when the column is narrow;
    the rest goes on the next line, aligned with the piece above (left or
    right) and right under it.  Only a piece alone in its cell and holding
    a digit joins: a word of the next row (a label) does not.  A row of
    values run together into one cell has the wrapped piece inside it
    ("20.05.2025 BE2023- C9242" over "216").
    """
    if doc.layout is None or where.index >= len(doc.lines) or doc.lines[where.index].geometry is None:
        return token
    for word in (word for cell in doc.lines[where.index].geometry.cells for word in cell.words):
        if word.text[-1:] not in _WRAPS_AT or not word.text[:-1].endswith(token):
            continue
        piece = _piece_below(doc, where.index, word)
        return token + _wrap_mark(word.text) + piece if piece else token
    return token


def _code_wrapped_after(doc: Document, line: Line, segment) -> tuple[str, float, Line] | None:
    """A code whose first piece, no digit in it, a narrow cell left after the label: "RE/" over "2023/040".

    ``_continued`` joins the rest of a code read after its label; a piece
    without a digit ("RE/", "PO-") is no code alone, so it is joined here
    before it is read.
    """
    if doc.layout is None or line.geometry is None:
        return None
    cell = line.geometry.cell_at(segment.start + len(segment.text) - len(segment.text.lstrip()))
    if cell is None or len(cell.words) != 1 or cell.end > segment.end:
        return None  # the piece alone in the cell after the label
    first = cell.words[0].text
    if first[-1:] not in _WRAPS_AT or any(ch.isdigit() for ch in first):
        return None
    piece = _piece_below(doc, line.index, cell.words[0])
    found = identifier_in(first[:-1] + _wrap_mark(first) + piece) if piece else None
    return (found[0], 1.0, line) if found and found[1] == 0 else None


def _piece_below(doc: Document, index: int, last) -> str | None:
    """The rest of a code the word ``last`` of line ``index`` wraps into: alone in the cell right under it,
    aligned with it (left or right), letters and digits with a digit among them."""
    row = doc.layout.lines[index]
    below = doc.layout.cell_below(index, last.x0, last.x1)
    if below is None or doc.layout.lines[below[0]].top - row.bottom > row.height or len(below[1].words) != 1:
        return None
    piece = below[1].words[0]
    aligned = abs(piece.x0 - last.x0) <= WRAP_ALIGN or abs(piece.x1 - last.x1) <= WRAP_ALIGN
    if aligned and _CONTINUATION.fullmatch(piece.text) and any(ch.isdigit() for ch in piece.text):
        return piece.text
    return None


def _wrap_mark(word: str) -> str:
    """The hyphen or slash a code was wrapped after, as printed (pdfium reads a wrapping hyphen as U+0002)."""
    return "/" if word.endswith("/") else "-"


def _heads_its_number(doc: Document, line: Line, hit, found: tuple[str, float, Line]) -> bool:
    """Whether a bare title has its number under it: heading a column of titles, or over a code alone in its cell.

    "FACTURA" over "INV/2024/00005": a heading (the title alone in its
    cell, beside nothing but other blocks' headings such as "Lieferadresse")
    whose next row holds nothing but a code of four characters or
    more (a "#" before it aside) is the document's number; a postcode, a
    customer's line or an address under the heading brings words of its
    own.  English needs none of this: "Invoice" is a number label itself.
    """
    if _titles_a_column(doc, line, hit):
        return True
    token, _factor, below = found
    cell = line.geometry.cell_at(hit.start) if line.geometry is not None else None
    if cell is None or fold(cell.text).split() != hit.phrase.split():
        return False  # a heading: the title alone in its cell
    if any(other is not hit and not _heads_a_block(other) for other in line.hits):
        return False  # a title among labelled values ("Klant: KL03   Factuur   Datum: 8-9-2022") heads nothing
    alone = below.text.strip().lstrip("#").strip() == token
    return alone and identifier_shape(token) == 1.0 and not find_dates(token)


def _heads_a_block(hit) -> bool:
    """Whether a label only heads a block beside the title ("Lieferadresse", "Bill to"): it labels no value here."""
    return all(name in (SUPPLIER_ROLE, CUSTOMER_ROLE, DELIVERY_ROLE, TITLE) for name, _strength in hit.fields)


def _titles_a_column(doc: Document, line: Line, hit) -> bool:
    """Whether a bare title heads a column of a row of column titles ("Klant  Order  Factuur datum  Factuur").

    ERP layouts print the document's references as a one-row table whose
    column titles are labels, the number's column titled by the document
    type alone ("Invoice", "Factuur"); the cell under it is the number.  A
    title anywhere else (the page's heading, "Factuur totaal") is not: every
    label of the row must be a title with nothing after it in its cell, and
    the row must hold at least ``_HEADER_ROW_TITLES`` of them.
    """
    if line.geometry is None or len(line.hits) < _HEADER_ROW_TITLES:
        return False
    cell = line.geometry.cell_at(hit.start)
    if cell is None or fold(cell.text).split() != hit.phrase.split():
        return False
    return all(not doc.segment_after(line, other).text.strip() for other in line.hits)


def _row_of_titles(line: Line) -> bool:
    """Whether a line is a header table's row of titles, read as few cells: the words after a title are titles.

    "Fällig am Bestellnummer Kunden" over "25.04.2024  BE2024-793  C5283":
    a browser's narrow padding runs the titles together, and "Kunden" (the
    first word of "Kunden-Nr.", wrapped) is no value of "Bestellnummer".  A
    row of titles holds at least ``_HEADER_ROW_TITLES`` labels and no digit.
    """
    return (
        line.geometry is not None and len(line.hits) >= _HEADER_ROW_TITLES and not any(ch.isdigit() for ch in line.text)
    )


def _number_in_title_sentence(doc: Document, line: Line, hit) -> tuple[str, float, Line] | None:
    """The number a title line gives after a few words: "Rechnung des Versicherers (575) Nr. 01.234.567.8-2018-1".

    Only on a line the title starts, and only after a number word ("Nr.",
    "No.", "n°") before any other label: a customer's or an order's number
    has its own label, which ends the title's segment.
    """
    if line.text[: hit.start].strip(" \t:#|"):
        return None
    segment = doc.segment_after(line, hit)
    word = _NUMBER_WORD.search(segment.text[:_TITLE_SENTENCE_CHARS])
    if word is None:
        return None
    found = identifier_in(segment.text[word.end() :])
    if found is None or found[1] != 0:
        return None
    return found[0], 1.0, line  # as sure as "Rechnung Nr. 4711": the title's strength says how sure


def _add_hash_label(doc: Document, evidence: Evidence) -> None:
    """A header row labelled by a bare "#" ("#  : INV-000007"): the number, in a block of "key : value" rows.

    Templates in English print "#" for "number" (Zoho's "# : INV-000007"
    above "Invoice Date : ..."); the colon tells it from the "#" heading a
    table's column of line numbers.  Folding drops the "#", so no
    vocabulary phrase can hold it.
    """
    for line in doc.lines[:_TITLE_LINES]:
        match = _HASH_LABEL.match(line.text)
        if match is None:
            continue
        found = identifier_in(line.text[match.end() :])
        if found and found[1] == 0 and identifier_shape(found[0]) == 1.0:
            evidence.add(found[0], _HASH_STRENGTH, "after '#'", line.index)
            return


def _lone_titles(doc: Document):
    """The document titles alone in their cell in the page's first lines, with their hit, strength and cell."""
    for field_name in (TITLE, CREDIT_TITLE):
        for line, hit, strength in doc.hits(field_name):
            if line.index >= _TITLE_LINES or line.geometry is None:
                continue
            title = line.geometry.cell_at(hit.start)
            if title is not None and fold(title.text).split() == hit.phrase.split():
                yield line, hit, strength, title  # a title alone in its cell, not a word of a sentence


def _row_under_title(doc: Document, line: Line, title) -> tuple[Line, int] | None:
    """The row right under a title and the position of its cell starting in the title's column."""
    found = doc.layout.cell_below(line.index, title.x0, title.x1)
    if found is None:
        return None
    index, cell = found
    row = doc.lines[index]
    if abs(cell.x0 - title.x0) > row.geometry.height:
        return None
    return row, row.geometry.cells.index(cell)


def _add_number_word_under_title(doc: Document, evidence: Evidence) -> None:
    """The code a bare number word heads on the row right under the title: "FACTURE" over "N° FA-2026-0001".

    Generators that print the title big put its number on the next row,
    labelled by a number word alone ("N°", "Nr.", "No.", "Numero:"); alone,
    such a word says nothing, under the title it is the title's number.
    The code must follow the word directly (in its cell or the next one):
    "N° client C-1234" is the customer's.  As sure as the title followed by
    its number on one line.
    """
    for line, hit, strength, title in _lone_titles(doc):
        found = _row_under_title(doc, line, title)
        if found is None:
            continue
        row, position = found
        cells = row.geometry.cells
        word = _NUMBER_WORD.match(cells[position].text.strip())
        if word is None or not word.group(0).strip():
            continue
        rest = cells[position].text.strip()[word.end() :]
        if not rest.strip() and position + 1 < len(cells):
            rest = cells[position + 1].text
        code = identifier_in(rest)
        if code and code[1] == 0 and identifier_shape(code[0]) == 1.0:
            evidence.add(code[0], strength, f"after a number word under the title '{hit.phrase}'", row.index)
            return


def _add_number_under_title(doc: Document, evidence: Evidence) -> None:
    """The code of the row printed right under the document's title, when no number label was read.

    A header block puts the document number first under its title
    ("RECHNUNG" over "Rechnungsnummer  471102"); on a scan the label of that
    row can be garbled past any fuzzy match (a shaded cell).  The row must
    start in the title's own column, its first cell be a word that is no
    known label (a known one says what the row is), and its next cell a
    code of four characters or more: a weak candidate a person confirms.
    """
    for line, hit, _strength, title in _lone_titles(doc):
        found = _row_under_title(doc, line, title)
        if found is None:
            continue
        row, position = found
        label = row.geometry.cells[position]
        if not _unknown_word(row, label) or position + 1 >= len(row.geometry.cells):
            continue
        code = identifier_in(row.geometry.cells[position + 1].text)
        if code and code[1] == 0 and identifier_shape(code[0]) == 1.0:
            evidence.add(code[0], _UNDER_TITLE, f"first row under the title '{hit.phrase}'", row.index)
            return


def _add_number_above_issue_date(doc: Document, evidence: Evidence) -> None:
    """The code of the row right above "Invoice date" whose own label OCR garbled to a speck, when no label was read.

    A header block of key/value rows puts the document number just above
    its date ("Invoice#  INV-000007" over "Invoice Date  11/12/2023"); a
    short label ("#", "No.") in a shaded cell comes out of a scan as two
    stray letters ("ie", "eH").  The row must start in the date label's
    column, its first cell be such a speck (no digit, no known label), and
    its next cell a code of four characters or more: a weak candidate a
    person confirms, as the row under the title is.
    """
    for line, hit, strength in doc.hits(ISSUE_DATE):
        if strength < _DATE_LABEL_STRENGTH or line.geometry is None or line.index == 0:
            continue
        label = line.geometry.cell_at(hit.start)
        above = doc.lines[line.index - 1]
        if label is None or label is not line.geometry.cells[0] or above.geometry is None:
            continue
        if above.geometry.page != line.geometry.page or len(above.geometry.cells) < 2:
            continue
        speck, value = above.geometry.cells[:2]
        if abs(speck.x0 - label.x0) > line.geometry.height or not _garbled_label(above, speck):
            continue
        code = identifier_in(value.text)
        if code and code[1] <= 2 and identifier_shape(code[0]) == 1.0:
            evidence.add(code[0], _UNDER_TITLE, f"row above '{hit.phrase}', its label unreadable", above.index)
            return


def _garbled_label(row: Line, cell) -> bool:
    """A cell of one to three characters, none a digit, where no known label was read."""
    text = cell.text.strip()
    if not 0 < len(text) <= _GARBLED_LABEL_CHARS or any(ch.isdigit() for ch in text):
        return False
    return not any(hit.start < cell.end and cell.start < hit.end for hit in row.hits)


def _unknown_word(row: Line, cell) -> bool:
    """A cell of letters (a label OCR garbled, down to two letters: "NS") where no known label was found."""
    letters = sum(ch.isalpha() for ch in cell.text)
    if letters < 2 or any(ch.isdigit() for ch in cell.text):
        return False
    return not any(hit.start < cell.end and cell.start < hit.end for hit in row.hits)


def po_evidence(doc: Document) -> Evidence:
    evidence = Evidence()
    for line, hit, strength in doc.hits(PO):
        if strength <= _ORDER_WORD and _value_of_party_label(doc, line, hit):
            continue
        if doc.owner_after(line, hit) == SUPPLIER_ROLE:
            continue  # "Bestellung Nr. Lieferant:": the seller's own order number, not the buyer's
        strength = _order_label_strength(doc, line, hit, strength)
        segment = doc.segment_after(line, hit)
        found = (
            _spaced_reference(doc, line, segment)
            or _identifier_after(doc, line, segment)
            or _code_wrapped_after(doc, line, segment)
            or _number_after_order_date(line, segment)
            or _number_before_order_date(line, hit)
            or _reference_without_digits(doc, line, hit, segment, strength)
        )
        if not found:
            continue
        token, position_factor, where = found
        token = _continued(doc, where, token)
        evidence.add(token, strength * position_factor * identifier_shape(token), f"after '{hit.phrase}'", where.index)
    _add_wrapped_label_values(doc, PO, evidence)
    return evidence


def _value_of_party_label(doc: Document, line: Line, hit) -> bool:
    """Whether a bare order word is the value of a party's label before it in its cell: "Customer: Order 7788".

    The words after "Customer:", "Bill to:", "Kunde:" name the buyer (a
    firm or a department may well be called "Order ..."), or give its
    number; the order word there labels nothing.  Only a party's label
    glued to it by a colon counts, so "Customer order 7788" still reads.
    """
    position = line.hits.index(hit)
    if position == 0:
        return False
    before = line.hits[position - 1]
    if not any(before.strength(role) for role in _PARTY_ROLES):
        return False
    gap = line.text[before.end : hit.start]
    return ":" in gap and not gap.strip(" :") and not doc.in_prose(line, before)


def _order_label_strength(doc: Document, line: Line, hit, strength: float) -> float:
    """How sure an order label is where it stands: a field's own with its colon, less so in a sentence.

    "Bestellung", "Order", "Commande" are weak labels: the words run
    through sentences.  Starting its line or cell with a colon after it,
    the bare word (not the surer references, "Ihr Zeichen:") is the title
    of a header field and nearly as sure as a named order label; an order quoted in a sentence ("Rechnung gemäß
    Bestellung Nr. ...") counts a little less than a field's, still more
    than a reference the buyer may give for anything ("Ihr Zeichen:").
    A number of an order that is not named the buyer's ("Auftragsnummer":
    often the seller's) stays weak.
    """
    if doc.in_prose(line, hit):
        return strength * _ORDER_IN_PROSE
    bare = strength <= _ORDER_WORD and not _NUMBER_WORD.search(hit.phrase) and NUMMER not in hit.phrase
    if bare and doc.starts_cell(line, hit) and _COLON_AFTER.match(line.text[hit.end :]):
        return max(strength, _COLON_LABEL)
    return strength


def _add_wrapped_label_values(doc: Document, field_name: str, evidence: Evidence) -> None:
    """Values of a label a narrow cell wraps over two lines ("Bestell-" over "nummer:", see ``headings``).

    The value is the nearest cell right of the two lines (beside either or
    between them), else the cell under the second.
    """
    for wrapped in wrapped_labels(doc, field_name):
        token, found = None, None
        for found in (
            _value_beside_wrapped(doc, wrapped.line, wrapped.first, wrapped.second_index, wrapped.second),
            _value_under_wrapped(doc, wrapped.first, wrapped.second_index, wrapped.second),
        ):
            token = identifier_in(found[1]) if found is not None else None
            if token is not None and token[1] <= 2:
                break
        if token is not None and token[1] <= 2:
            value = _continued(doc, doc.lines[found[0]], token[0])  # the value wrapped too ("BE2024-" over "817")
            score = wrapped.strength * _WRAPPED_FACTOR * identifier_shape(value)
            evidence.add(value, score, f"after '{wrapped.hit.phrase}' (wrapped)", found[0])


def _value_beside_wrapped(doc: Document, line: Line, cell, second_index: int, second) -> tuple[int, str] | None:
    """The nearest cell right of a wrapped label's two lines, on either or between them."""
    top, bottom = line.geometry.top, doc.layout.lines[second_index].bottom
    right = max(cell.x1, second.x1)
    nearest = None
    for index in range(line.index, second_index + 1):
        geometry = doc.layout.lines[index]
        if geometry.page != line.geometry.page or not top <= (geometry.top + geometry.bottom) / 2 <= bottom:
            continue
        for other in geometry.cells:
            if other.x0 > right and (nearest is None or other.x0 < nearest[1].x0):
                nearest = (index, other)
    return None if nearest is None else (nearest[0], nearest[1].text)


def _value_under_wrapped(doc: Document, first, second_index: int, second) -> tuple[int, str] | None:
    """The value under a wrapped label's second line: the cell there, or its words under the label.

    A header table's row of values may read as one cell (see
    ``Document.words_under``): only the words under the label are its value.
    """
    below = doc.layout.cell_below(second_index, second.x0, second.x1)
    if below is None:
        return None
    index, cell = below
    words = words_within(cell, min(first.x0, second.x0), max(first.x1, second.x1))
    return index, cell.text if words is None else words


def _spaced_reference(doc: Document, line: Line, segment: Segment) -> tuple[str, float, Line] | None:
    """An order reference printed in groups, alone in the rest of its cell: "PO 88123", "4500 123 456".

    Buyers' order numbers come with a prefix of capitals ("PO", "BE") or in
    digit groups; the first group alone is not the number.  The groups must
    fill what is left of the label's cell (its value cell when the label
    ends its own), so a date or a quantity running on in a sentence is not
    taken in; groups that spell a date are not a reference.
    """
    start = segment.start
    cell = doc.cell_of(line, start)
    end = cell[1] if cell is not None else line.text.find(CELL_SEPARATOR, start)
    text = line.text[start : len(line.text) if end < 0 else end].strip()
    if _SPACED_REFERENCE.fullmatch(text) is None or find_dates(text) or _SPACED_DATE.fullmatch(text):
        return None
    return text, 1.0, line


def _reference_without_digits(
    doc: Document, line: Line, hit, segment: Segment, strength: float
) -> tuple[str, float, Line] | None:
    """A buyer's reference of letters alone in the cell a sure order label heads: "PROJ-ALPHA", "WEBSHOP".

    EN 16931 lets the buyer's reference be any text, and buyers quote
    project or channel codes.  Only a sure label's own value cell counts:
    what follows the label's colon, or the cell under the label, must be
    one token shaped like a code (capitals, or words joined by a hyphen),
    not a word of a sentence, not a label and no placeholder ("N/A",
    "NONE"); beside the label without a colon it may be the next title of
    a row of titles.  It counts less than a reference with digits.
    """
    if strength < _SURE_LABEL or doc.in_prose(line, hit):
        return None
    rest = LEADING_SEPARATORS.sub("", segment.text)
    text, where = rest.split(CELL_SEPARATOR)[0], line
    if text and ":" not in line.text[hit.end : segment.start + len(segment.text) - len(rest)]:
        return None
    if not text:
        below = doc.under(line, hit, 1)
        if not below:
            return None
        text, where = below[0].text, below[0]
    token = LEADING_SEPARATORS.sub("", text).strip()
    if (
        _CODE_WITHOUT_DIGITS.fullmatch(token) is None
        or len(token) < _MIN_CODE_CHARS
        or fold(token).replace("/", "") in _PLACEHOLDERS
        or find_labels(fold(token), token)
    ):
        return None
    return token, _WITHOUT_DIGITS_FACTOR, where


def _number_word_alone(text: str) -> bool:
    """Whether ``text`` holds only a number word: "Bon de commande n°" heads the value under it like a label."""
    word = _NUMBER_WORD.match(text.strip())
    return word is not None and word.end() == len(text.strip())


def _number_after_order_date(line: Line, segment: Segment) -> tuple[str, float, Line] | None:
    """The order's number after its date: "Ihre Bestellung vom 01.03.2018 Nr. B-88123".

    Only with a number word or a colon or slash after the date ("Ihre
    Bestellung vom 01.03.2018: B-88123", "Ihre Bestellung: 01.03.2018 /
    B-88123"): "Ihre Bestellung vom 01.03.2018" alone states no number, and
    what follows a date without them is the sentence going on.
    """
    preposition = _DATE_PREPOSITION.match(segment.text)
    rest = segment.text[preposition.end() :] if preposition else segment.text
    date = next((end for start, end, _value in find_dates(rest[:_DATE_SPAN]) if start == 0), None)
    if date is None:
        return None
    after = rest[date:].lstrip(" ,;")
    word = _NUMBER_WORD.match(after) or _DATE_NUMBER_SEPARATOR.match(after)
    found = identifier_in(after[word.end() :]) if word else None
    return (found[0], 1.0, line) if found and found[1] == 0 else None


def _number_before_order_date(line: Line, hit) -> tuple[str, float, Line] | None:
    """The order's number under a label naming its date too: "Bestellnummer/-datum: B-88123 / 01.03.2018".

    A label for two values ("Order No./Date", "Bestell-Nr./Datum") is
    followed by both, the number first; the date word is a label of its own
    that ends the order label's segment, so the number is looked for after it.
    """
    label = _AND_DATE_LABEL.match(line.text[hit.end :])
    if label is None:
        return None
    found = identifier_in(line.text[hit.end + label.end() :])
    return (found[0], 1.0, line) if found else None


def _prose_factor(doc: Document, line: Line, hit) -> float:
    """How much less a number label counts when a sentence runs into it ("bitte ... und Belegnummer 4711 angeben")."""
    return _IN_PROSE if doc.in_prose(line, hit) else 1.0


def credit_note_score(doc: Document) -> tuple[float, str]:
    """How surely the document calls itself a credit note, and the words that say so."""
    best, reason = 0.0, ""
    for line, hit, _strength in doc.hits(CREDIT_TITLE):
        printed = line.text[hit.start : hit.end]
        if not printed[:1].isupper():
            continue  # "nous avoir livré": a verb, not a title
        segment = doc.segment_after(line, hit)
        if identifier_in(segment.text):
            score = 0.9
        elif line.index < _TITLE_LINES:
            score = 0.8
        elif hit.start == 0:
            score = 0.6
        else:
            score = 0.3
        if score > best:
            best, reason = score, f"'{printed}' on line {line.index + 1}"
    return best, reason
