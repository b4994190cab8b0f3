"""Where each header value of a pivot is printed: word boxes on the page images.

A reviewer checks a bill at a glance when the words that gave each field
are highlighted beside the fields.  The readers (template-free, supplier
template, embedded e-invoice, OCR) do not all keep positions, so the
location is found afterwards, by *value*, in the positioned words of the
pages (``layout.Layout``), and validated the way the value was read:

* an amount matches a printed number equal as a ``Decimal`` (``1.234,56``,
  ``1,234.56``, ``1234.56``, a minus or not: a credit note's total may be
  printed unsigned);
* a date matches a printed date in any style that parses to the same day
  (day first or month first);
* an identifier (number, VAT number, IBAN, order reference) matches a run
  of characters equal once spaces and punctuation are dropped, standing
  alone (not inside a longer code);
* a name matches a run of consecutive words of one line, case and
  accents aside;
* a currency matches its ISO code as a word, or a symbol that means only it.

A value printed several times takes the occurrence a label of its own
field introduces (``freeform.labels``: the nearest label to its left on the
line, or a label whose cell stands above it), the surest label first, else
the first occurrence in reading order.  A value printed nowhere gets no box:
a location is never guessed.

Boxes are fractions of the page (0..1, left, top, right, bottom, top down),
so they scale with an image of the page rendered at any resolution.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from .freeform import labels as lb
from .freeform.amounts import decimal_mark_matters, find_amounts
from .layout import CELL_SEPARATOR, Layout, LayoutLine, PageFrame, Word, page_box
from .pivot import Invoice
from .values import find_dates

# The fields located, each with how its value is matched and the label fields that introduce it.
_AMOUNT, _DATE, _CODE, _NAME, _CURRENCY = "amount", "date", "code", "name", "currency"
LOCATED_FIELDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "invoice_number": (_CODE, (lb.NUMBER,)),
    "issue_date": (_DATE, (lb.ISSUE_DATE,)),
    "due_date": (_DATE, (lb.DUE_DATE, lb.DEBIT)),
    "currency": (_CURRENCY, (lb.CURRENCY,)),
    "amount_untaxed": (_AMOUNT, (lb.UNTAXED,)),
    "amount_tax": (_AMOUNT, (lb.TAX,)),
    "amount_total": (_AMOUNT, (lb.TOTAL,)),
    "po_reference": (_CODE, (lb.PO,)),
    "supplier.name": (_NAME, (lb.SUPPLIER_ROLE,)),
    "supplier.vat": (_CODE, (lb.OWN_VAT, lb.VAT)),
    "supplier.iban": (_CODE, (lb.IBAN,)),
    "customer.name": (_NAME, (lb.CUSTOMER_ROLE,)),
    "customer.vat": (_CODE, (lb.CUSTOMER_VAT, lb.VAT)),
}
# An identifier this short ("7", "A1") is taken only where a label of its field introduces it.
_SHORT_CODE = 3
# Symbols that name a single currency; "$" is shared by several and never taken alone.
_SYMBOLS = {"€": "EUR", "£": "GBP", "₹": "INR", "¥": "JPY", "US$": "USD", "A$": "AUD", "C$": "CAD", "NZ$": "NZD"}
# What is not a letter or a digit: regular expressions' word characters are exactly ``str.isalnum`` and "_".
_NOT_ALNUM = re.compile(r"[\W_]+")
_NOT_DIGITS = re.compile(r"[^0-9]+")
# A label "above" a value: the value's cell is at most this many label lines further down.
_BELOW_LINES = 2


def locate(invoice: Invoice, layout: Layout, page_sizes: list[tuple[float, float] | None]) -> dict[str, list[dict]]:
    """The boxes of the words showing each located field's value.

    ``page_sizes``: each page's (width, height) in the units of its words
    (PDF points, image pixels), or a ``layout.PageFrame`` (an OCR page read
    from a prepared copy: the boxes are mapped back onto the page image); a
    page whose size is None (its words cannot be mapped onto the page image)
    is not searched.

    Returns ``{field: [{"page": int, "box": [x0, y0, x1, y1]}, ...]}``: the
    field names are the pivot's confidence keys ("invoice_number",
    "supplier.vat"...), the page index is 0-based, the box is in fractions of
    the page, rounded to 4 places.  Fields without a value or not found on
    any page are absent.
    """
    lines = [(index, line) for index, line in enumerate(layout.lines) if _size(page_sizes, line.page)]
    if not lines:
        return {}
    readings = {index: _LineReading(line.text) for index, line in lines}
    hits: dict[int, list] = {}  # each line's labels, found the first time a value on it or below asks
    found: dict[str, list[dict]] = {}
    for name, (kind, label_fields) in LOCATED_FIELDS.items():
        value = _value(invoice, name)
        if value in (None, ""):
            continue
        occurrences = []  # (label strength, reading order, line index, start, end)
        wanted = _comparable(kind, value)
        weak_value = kind == _CODE and len(wanted) < _SHORT_CODE
        for order, (index, line) in enumerate(lines):
            for start, end, weak in _spans(kind, wanted, readings[index]):
                strength = _label_strength(layout, hits, index, line, start, end, label_fields)
                if strength or not (weak or weak_value):
                    occurrences.append((strength, order, index, start, end))
        if not occurrences:
            continue
        _strength, _order, index, start, end = min(occurrences, key=lambda o: (-o[0], o[1]))
        line = layout.lines[index]
        text_layer = layout.source_texts[line.page] is None  # OCR pages have their own text, and no sideways words
        box = _box(line.words_between(start, end), _size(page_sizes, line.page), text_layer)
        if box:
            found[name] = [{"page": line.page, "box": box}]
    return found


class _LineReading:
    """What the matchers need of one line's text, each computed once, when first asked (a page has hundreds)."""

    def __init__(self, text: str):
        self.text = text
        self.has_digit = any(map(str.isdigit, text))
        self._amounts = self._dates = self._squeezed = self._positions = self._words = None
        self._digits = self._folded = None

    @property
    def digits(self) -> str:
        """The line's digits 0-9 run together: a number's digits are a run of them, whatever its marks.

        (``values.parse_amount`` reads the digits 0-9 only: other scripts' digits never make an amount.)
        """
        if self._digits is None:
            self._digits = _NOT_DIGITS.sub("", self.text)
        return self._digits

    @property
    def amounts(self) -> list[tuple[int, int, Decimal, bool]]:
        """(start, end, value, printed as money) of every number, read with either decimal mark."""
        if self._amounts is None:
            found = {}
            # the document's decimal mark is unknown here: "1.234" is 1234 or 1.234, and either may be the value
            marks = (None, ",", ".") if decimal_mark_matters(self.text) else (None,)
            for mark in marks if self.has_digit else ():
                for amount in find_amounts(self.text, decimal_mark=mark):
                    if not amount.percent:
                        found[(amount.start, amount.end, abs(amount.value))] = amount.is_money
            self._amounts = [(start, end, value, money) for (start, end, value), money in found.items()]
        return self._amounts

    @property
    def dates(self) -> list[tuple[int, int, dt.date]]:
        if self._dates is None:
            self._dates = (
                [span for first in (True, False) for span in find_dates(self.text, first)] if self.has_digit else []
            )
        return self._dates

    @property
    def squeezed(self) -> str:
        """The text's letters and digits in upper case (``_alnum``)."""
        if self._squeezed is None:
            self._squeezed = _alnum(self.text)
        return self._squeezed

    @property
    def positions(self) -> list[int]:
        """Each character of ``squeezed``'s position in the text: asked only of a line that prints the code."""
        if self._positions is None:
            self._positions = [position for position, ch in enumerate(self.text) if ch.isalnum()]
        return self._positions

    @property
    def folded(self) -> str:
        if self._folded is None:
            self._folded = lb.fold(self.text)  # one character per character: positions hold
        return self._folded

    @property
    def folded_words(self) -> list[tuple[int, int, str]]:
        if self._words is None:
            self._words = [(match.start(), match.end(), match.group(0)) for match in re.finditer(r"\S+", self.folded)]
        return self._words


def _value(invoice: Invoice, name: str):
    if "." in name:
        party, attribute = name.split(".")
        return getattr(getattr(invoice, party), attribute)
    return getattr(invoice, name)


def _size(page_sizes, page: int) -> tuple[float, float] | None:
    size = page_sizes[page] if page < len(page_sizes) else None
    return size if size and size[0] > 0 and size[1] > 0 else None


# ----------------------------------------------------------------------------- matching a value in a line


def _comparable(kind: str, value):
    """The value as the matchers of its kind compare it, made once per field rather than once per line.

    An amount: a ``Decimal`` and its significant digits; a date: a ``date``; an identifier: its letters
    and digits in upper case; a name: its folded words; a currency: its code.
    """
    if kind == _AMOUNT:
        return Decimal(value), _significant_digits(Decimal(value))
    if kind == _DATE:
        return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))
    if kind == _CODE:
        return _alnum(str(value))
    if kind == _NAME:
        return lb.fold(str(value)).split()
    return str(value)


def _spans(kind: str, wanted, reading: _LineReading) -> list[tuple[int, int, bool]]:
    """``(start, end, weak)`` spans of the line that print ``wanted`` (``_comparable``'s value), left to right.

    A weak occurrence counts only where a label of the field introduces it.
    """
    if kind == _AMOUNT:
        return _amount_spans(*wanted, reading)
    if kind == _DATE:
        spans = _date_spans(wanted, reading)
    elif kind == _CODE:
        spans = _code_spans(wanted, reading)
    elif kind == _NAME:
        spans = _name_spans(wanted, reading)
    else:
        spans = _currency_spans(wanted, reading.text)
    return [(start, end, False) for start, end in spans]


def _amount_spans(value: Decimal, digits: str, reading: _LineReading) -> list[tuple[int, int, bool]]:
    """Numbers equal to ``value``, a minus or not; one not printed as money (no cents, no currency) or 0 is weak.

    A line whose digits do not hold the value's ``digits`` in a row cannot
    print it, and is not read for numbers.
    """
    if digits not in reading.digits:
        return []
    spans = {}
    for start, end, number, money in reading.amounts:
        if number == abs(value):
            spans[(start, end)] = spans.get((start, end), True) and (not money or not value)
    return [(start, end, spans[(start, end)]) for start, end in _disjoint(spans)]


def _significant_digits(value: Decimal) -> str:
    """The digits of ``value`` without leading or trailing zeros ("123456" for 1,234.560; "" for NaN).

    However a number equal to it is printed (marks, leading or trailing
    zeros, a sign), its digits 0-9 hold these in a row.
    """
    return "".join(map(str, abs(value).normalize().as_tuple().digits)) if value.is_finite() else ""


def _date_spans(day: dt.date, reading: _LineReading) -> list[tuple[int, int]]:
    return _disjoint({(start, end) for start, end, date in reading.dates if date == day})


def _alnum(text: str) -> str:
    """The letters and digits of ``text`` (``str.isalnum``), in upper case, one character for one."""
    kept = _NOT_ALNUM.sub("", text)
    upper = kept.upper()
    return upper if len(upper) == len(kept) else "".join(_upper(ch) for ch in kept)


def _upper(ch: str) -> str:
    """One character for one: "ß".upper() is "SS", which would shift every position after it."""
    up = ch.upper()
    return up if len(up) == 1 else ch


def _code_spans(target: str, reading: _LineReading) -> list[tuple[int, int]]:
    """Runs of the line whose letters and digits (upper case) are ``target``'s, not part of a longer code."""
    squeezed = reading.squeezed
    if not target or target not in squeezed:
        return []
    text, positions = reading.text, reading.positions
    spans = []
    for match in re.finditer(re.escape(target), squeezed):
        start, end = positions[match.start()], positions[match.end() - 1] + 1
        if (start and text[start - 1].isalnum()) or (end < len(text) and text[end].isalnum()):
            continue  # "1234" inside "INV-12345"
        if CELL_SEPARATOR in text[start:end]:
            continue  # two cells of a line are two values
        spans.append((start, end))
    return spans


def _name_spans(wanted: list[str], reading: _LineReading) -> list[tuple[int, int]]:
    """Runs of consecutive words of the line that are the name's folded words ``wanted``."""
    if not wanted or wanted[0] not in reading.folded:
        return []
    words = reading.folded_words
    if not any(word == wanted[0] for _, _, word in words):
        return []
    spans = []
    for first in range(len(words) - len(wanted) + 1):
        if [word for _, _, word in words[first : first + len(wanted)]] == wanted:
            spans.append((words[first][0], words[first + len(wanted) - 1][1]))
    return spans


def _currency_spans(code: str, text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for m in re.finditer(r"(?<![A-Za-z])" + re.escape(code) + r"(?![A-Za-z])", text)]
    for symbol, meaning in _SYMBOLS.items():
        if meaning == code:
            spans.extend((m.start(), m.end()) for m in re.finditer(re.escape(symbol), text))
    return _disjoint(spans)


def _disjoint(spans) -> list[tuple[int, int]]:
    """Spans left to right, the longest at a position, none overlapping another kept."""
    result = []
    for start, end in sorted(spans, key=lambda span: (span[0], -span[1])):
        if not result or start >= result[-1][1]:
            result.append((start, end))
    return result


# ----------------------------------------------------------------------------- labels


def _label_strength(layout: Layout, hits, index: int, line: LayoutLine, start: int, end: int, fields) -> float:
    """How surely a label of ``fields`` introduces the value at ``start:end`` of line ``index`` (0: none does).

    On the line, the nearest label to the value's left counts; above, a
    label whose cell lies over the value's cell a line or two higher.
    """
    left = [hit for hit in _hits(layout, hits, index) if hit.end <= start]
    if left:
        nearest = max(left, key=lambda hit: hit.end)
        strength = max(nearest.strength(name) for name in fields)
        if strength:
            return strength
    cell = line.cell_at(start)
    if cell is None:
        return 0.0
    best = 0.0
    for above in range(max(0, index - _BELOW_LINES), index):
        above_line = layout.lines[above]
        if above_line.page != line.page:
            continue
        for hit in _hits(layout, hits, above):
            strength = max(hit.strength(name) for name in fields)
            if not strength:
                continue
            label_cell = above_line.cell_at(hit.start)
            if label_cell is None:
                continue
            below = layout.cell_below(above, label_cell.x0, label_cell.x1)
            if below is not None and below[0] == index and below[1] is cell:
                best = max(best, strength)
    return best


def _hits(layout: Layout, hits: dict, index: int) -> list:
    if index not in hits:
        text = layout.lines[index].text
        hits[index] = lb.find_labels(lb.fold(text), text)
    return hits[index]


# ----------------------------------------------------------------------------- boxes


def _box(words: list[Word], size: tuple[float, float], text_layer: bool = True) -> list[float] | None:
    """The words' bounding box in fractions of the page; ``size`` a ``layout.PageFrame`` maps it back first.

    On a text layer, words printed up or down the margin are read below the
    page in their reading frame (``layout.sideways_words``): turned back first.
    """
    if not words:
        return None
    width, height = size
    boxes = [
        page_box(word, width, height) if text_layer else (word.x0, word.top, word.x1, word.bottom) for word in words
    ]
    x0, top = min(box[0] for box in boxes), min(box[1] for box in boxes)
    x1, bottom = max(box[2] for box in boxes), max(box[3] for box in boxes)
    if isinstance(size, PageFrame) and size.steps:
        x0, top, x1, bottom = size.source_box(x0, top, x1, bottom)

    def share(value: float, whole: float) -> float:
        return round(min(max(value / whole, 0.0), 1.0), 4)

    return [share(x0, width), share(top, height), share(x1, width), share(bottom, height)]
