"""Line items, when the page has a recognisable table: best effort, checked by arithmetic.

Without column positions a row is a sequence of numbers around a
description.  A row is accepted only when two of its numbers multiply to a
third one printed after them (quantity x unit price = amount, less a
printed discount), the unit price rounded to the cent allowing half a cent
per unit.  Rows that do not add up are left out rather than guessed.
"""

from __future__ import annotations

import itertools
import re
from decimal import ROUND_HALF_UP, Decimal

from ..pivot import Line as InvoiceLine
from .amounts import MAX_ROW_NUMBERS, Amount, find_amounts
from .document import Document, Line
from .labels import TABLE_HEADER, TAX, TOTAL, UNTAXED

_CENT = Decimal("0.01")
_HALF_CENT = Decimal("0.005")
_HUNDRED = Decimal(100)
_MAX_INTEGER_DIGITS = 7  # longer numbers are article codes and GTINs, not quantities or prices
_MAX_TAX_RATE = Decimal(30)
_UNIT_WORDS = re.compile(
    r"^(?:stk|st|stück|pcs|pc|pce|piece|pieces|unit|units|unit\(s\)|ea|each|x|m|m²|m2|kg|g|l|liter|liter\(s\)|"
    r"h|hrs|std|stunde|stunden|hours|day|days|tag|tage|jour|jours|uur|stuks|pièce|pièces|pal|kiste|karton)\.?$",
    re.IGNORECASE,
)
_CODE = re.compile(r"^[A-Z0-9][A-Z0-9\-./]*\d[A-Z0-9\-./]*$|^[A-Z0-9\-./]*\d[A-Z0-9\-./]*[A-Z]$")


def read_lines(doc: Document) -> list[InvoiceLine]:
    start, end = _table_region(doc)
    items = []
    for index in range(start, end):
        item = _read_row(doc, doc.lines[index])
        if item is not None:
            items.append(item)
    return items


def _table_region(doc: Document) -> tuple[int, int]:
    """From after the table header to the first totals label."""
    start = 0
    headers = [line for line in doc.lines if sum(1 for h in line.hits if h.strength(TABLE_HEADER)) >= 2]
    if not headers:
        headers = [line for line in doc.lines if any(h.strength(TABLE_HEADER) for h in line.hits)]
    if headers:
        start = headers[0].index + 1
    for line in doc.lines[start:]:
        if any(h.strength(TOTAL) or h.strength(UNTAXED) or h.strength(TAX) >= 0.7 for h in line.hits):
            return start, line.index
    return start, len(doc.lines)


def _numbers(doc: Document, text: str, spaced_thousands: bool) -> list[Amount]:
    """Numbers that can be a quantity, a price or an amount (not article codes)."""
    kept = []
    for amount in find_amounts(text, doc.decimal_mark, spaced_thousands):
        integer_digits = len(str(abs(amount.value).to_integral_value(rounding=ROUND_HALF_UP)))
        if integer_digits <= _MAX_INTEGER_DIGITS:
            kept.append(amount)
    return kept


def _read_row(doc: Document, line: Line) -> InvoiceLine | None:
    """A row whose numbers multiply out; "1 250,00" is tried as one number, then as a count and a price."""
    for spaced_thousands in (True, False):
        numbers = _numbers(doc, line.text, spaced_thousands)[-MAX_ROW_NUMBERS:]
        values = [n for n in numbers if not n.percent]
        percents = [n for n in numbers if n.percent]
        for k in range(len(values) - 1, 0, -1):
            amount = values[k]
            if amount.decimals < 2 or amount.glued:
                continue
            found = _quantity_and_price(values[:k], amount, percents)
            if found:
                quantity, price, discount = found
                return _build_line(doc, line, values, quantity, price, amount, discount, percents)
    return None


def _quantity_and_price(before: list[Amount], amount: Amount, percents: list[Amount]):
    """The pair nearest the amount whose product (less a printed discount) gives it."""
    discounts = [None] + [p for p in percents if 0 < p.value < 100 and p.start < amount.start]
    pairs = sorted(itertools.combinations(range(len(before)), 2), key=lambda ij: (-ij[1], -ij[0]))
    for i, j in pairs:
        quantity, price = before[i], before[j]
        if price.glued or quantity.value == 0:
            continue
        for discount in discounts:
            product = abs(quantity.value * price.value)
            if discount is not None:
                product = product * (_HUNDRED - discount.value) / _HUNDRED
            tolerance = _CENT + abs(quantity.value) * _HALF_CENT
            if abs(product.quantize(_CENT, rounding=ROUND_HALF_UP) - abs(amount.value)) <= tolerance:
                return quantity, price, discount
    return None


def _build_line(doc, line, values, quantity, price, amount, discount, percents) -> InvoiceLine:
    first = min(quantity.start, price.start)
    code, description = _code_and_description(line.text[:first])
    if not _has_words(description):
        middle = line.text[min(quantity.end, price.end) : max(quantity.start, price.start)]
        description = _strip_units(middle)
    if not _has_words(description):
        for below in doc.below(line, 1):
            if _has_words(below.text) and not any(a.is_money for a in find_amounts(below.text, doc.decimal_mark)):
                description = below.text
    return InvoiceLine(
        description=description.strip(" :-") if description else None,
        product_code=code,
        quantity=quantity.value,
        unit_price=price.value,
        discount=discount.value if discount is not None else None,
        tax_rate=_tax_rate(values, percents, (quantity, price, amount), discount),
        amount=amount.value,
    )


def _code_and_description(text: str) -> tuple[str | None, str]:
    words = text.split()
    code = None
    while words and _CODE.match(words[0]):
        code = code or words[0]
        words = words[1:]
    return code, " ".join(words)


def _strip_units(text: str) -> str:
    words = [w for w in text.split() if not _UNIT_WORDS.match(w) and not re.fullmatch(r"[\d.,%€$£]+", w)]
    return " ".join(words)


def _has_words(text: str | None) -> bool:
    return bool(text) and any(len(w) >= 3 and w.isalpha() for w in re.split(r"[\s,:;()\-/]+", text))


def _tax_rate(values, percents, used, discount) -> Decimal | None:
    """A printed percentage, else a small number right after or right before the amount ("19", "7,0")."""
    for percent in percents:
        if percent is not discount and 0 <= percent.value <= _MAX_TAX_RATE:
            return percent.value
    amount = used[-1]
    after = [v for v in values if v.start > amount.start]
    before = [v for v in values if v.start < amount.start]
    for value in after[:1] + before[-1:]:
        if value.decimals <= 1 and 0 <= value.value <= _MAX_TAX_RATE and all(value is not u for u in used):
            return value.value
    return None
