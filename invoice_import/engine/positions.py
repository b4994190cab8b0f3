r"""Positional rules of a learned layout: a label's words and where its value lies from them.

A learned template's regexes read the page as flat text, where one extra
address line or a column the generator wrapped differently moves a value
away from its label.  A positional rule reads the positioned words
(``layout.Layout``) instead, as the template-free reader does, but with
what one confirmed bill taught about this supplier's layout:

* ``label``: the words printed before the value, as printed
  (``"FACTURE N° :"``), found as a run of words of one line anywhere on the
  page, case and accents aside;
* ``where``: ``"right"``, the value in the label's own cell after it
  (``cells_after`` 0) or in the n-th cell to its right on the same line; or
  ``"below"``, the cell under the label's words (``layout.Layout.cell_below``:
  overlapping columns, an address block beside it passed over), ``skip``
  cells down;
* ``kind``: what the value is, ``"date"``, ``"amount"``, ``"id"`` (a token
  with digits, of the learned ``shape`` when given: a shape with spaces,
  ``DE 123 456 789``, matches a run of tokens) or ``"text"`` (the words of
  the region as printed: a company's name), and ``nth``: which value of that
  kind in that cell (``19 %  63,84``: the second amount).

The supplier's name and VAT number have rules too (``supplier_name``,
``supplier_vat``): on the next bill they do not add a value the format
does not already hold (both are the same on every bill of a supplier), they
show whether the format fits the document: the page prints the learned
number where the learned layout says (``pdf_template.py``).

A rule reads the first place where its label gives a value of its kind
(``pdf_template.py`` lets the template-free reader choose when the label
gives several), never a line number or a coordinate, so an invoice with
more item lines, a longer address or a second page reads the same.  Rules are JSON in the
template's ``positions`` (``formats.PdfTemplate``), one object or a list of
alternatives per field, and read like this::

    "positions": {"amount_total": {"label": "TOTAL TTC", "where": "below", "kind": "amount"}}

>>> from invoice_import.engine.layout import Layout, Word
>>> words = [Word("Invoice", 10, 10, 40, 20), Word("No.", 42, 10, 55, 20), Word("Date", 200, 10, 220, 20),
...          Word("A-17", 10, 24, 30, 34), Word("05.03.2024", 200, 24, 250, 34)]
>>> rules = learn_positions(Layout([words]), {"invoice_number": "A-17"})
>>> rules["invoice_number"]
{'label': 'Invoice No.', 'where': 'below', 'kind': 'id', 'shape': '[A-Z]+-\\d+'}
>>> read_position(Layout([words]), rules["invoice_number"])
'A-17'
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from decimal import Decimal

from .checks import ISO_4217_CURRENCIES
from .freeform.labels import fold
from .layout import Layout
from .learn import OTHER_EVENT_STEMS, PAYMENT_STEMS, is_month, is_percentage
from .values import find_dates, parse_amount

DATE, AMOUNT, ID, TEXT = "date", "amount", "id", "text"
WHERE = ("right", "below")
KINDS = (DATE, AMOUNT, ID, TEXT)
# The fields a positional rule may read, and their kind.  The supplier's name and VAT number are read by
# a rule learned on a bill where the confirmed values told the seller's from the buyer's (a label such as
# "N° TVA" names both): the template-free reader needs other evidence for them.
SUPPLIER_FIELDS = ("supplier_name", "supplier_vat")
FIELD_KINDS = {
    "invoice_number": ID,
    "issue_date": DATE,
    "due_date": DATE,
    "amount_total": AMOUNT,
    "amount_untaxed": AMOUNT,
    "amount_tax": AMOUNT,
    "po_reference": ID,
    "supplier_name": TEXT,
    "supplier_vat": ID,
}
MAX_LABEL_WORDS = 4
MAX_LINES_ABOVE = 4
MAX_CELLS_AFTER = 3
MAX_SKIP = 2
MAX_ID_TOKENS = 6  # tokens of an identifier printed in groups (``FR 32 123 456 789``)
_AMOUNT = re.compile(
    r"(?<![\w.,])-?\d{1,3}(?:[.,' \u00a0]\d{3})*(?:[.,]\d{1,4})?(?![\d]|[.,]\d)"
    r"|(?<![\w.,])-?\d+(?:[.,]\d{1,4})?(?![\d]|[.,]\d)"
)
# Word stems of date labels that name another event than the field's (learn.py's: delivery, order, a service
# period, payment for the issue date), and a period's start or end (en, de, fr, nl, es, it), matched at the
# start of the label's words: such a label comes last.
_PERIOD_ENDS = ("start", "end", "beginn", "ende", "debut", "fin", "begin", "eind", "inicio", "inizio")
_OTHER_EVENT = tuple(fold(stem) for stem in OTHER_EVENT_STEMS + _PERIOD_ENDS)
_PAYMENT = tuple(fold(stem) for stem in PAYMENT_STEMS)


# ----------------------------------------------------------------------------- reading


def read_position(layout: Layout, rule: dict, date_format: str | None = None, decimal: str | None = None):
    """The value ``rule`` reads in ``layout``: a ``date``, a ``Decimal``, an id ``str``; None when not found."""
    return next(_readings(layout, rule, date_format, decimal), None)


def readings(layout: Layout, rule: dict, date_format: str | None = None, decimal: str | None = None) -> list:
    """Every different value ``rule`` reads in ``layout``, top to bottom (``read_position`` takes the first)."""
    found = []
    for value in _readings(layout, rule, date_format, decimal):
        if value not in found:
            found.append(value)
    return found


def _readings(layout: Layout, rule: dict, date_format: str | None, decimal: str | None):
    """Each value ``rule`` finds, one per place its label gives a value of its kind, top to bottom."""
    for index, start, end in _label_runs(layout, rule["label"]):
        region = _region(layout, index, start, end, rule)
        if region is None:
            continue
        value = _value_in(region, rule, date_format, decimal)
        if value is not None:
            yield value


def _label_runs(layout: Layout, label: str):
    """``(line index, first word, last word + 1)`` of each run of words spelling ``label``, top to bottom."""
    wanted = [_fold(word) for word in label.split()]
    if not wanted:
        return
    for index, line in enumerate(layout.lines):
        words = [_fold(word.text) for word in line.words]
        for start in range(len(words) - len(wanted) + 1):
            if words[start : start + len(wanted)] == wanted:
                yield index, start, start + len(wanted)


def _region(layout: Layout, index: int, start: int, end: int, rule: dict) -> str | None:
    """The text where the rule's value lies, for the label at words ``start:end`` of line ``index``."""
    line = layout.lines[index]
    if rule["where"] == "below":
        x0 = min(word.x0 for word in line.words[start:end])
        x1 = max(word.x1 for word in line.words[start:end])
        found = layout.cell_below(index, x0, x1, skip=rule.get("skip", 0))
        return found[1].text if found else None
    cells_after = rule.get("cells_after", 0)
    last = line.words[end - 1]
    for number, cell in enumerate(line.cells):
        if any(word is last for word in cell.words):
            if cells_after == 0:
                position = next(i for i, word in enumerate(cell.words) if word is last)
                return " ".join(word.text for word in cell.words[position + 1 :])
            target = number + cells_after
            return line.cells[target].text if target < len(line.cells) else None
    return None


def _value_in(region: str, rule: dict, date_format: str | None, decimal: str | None):
    values = _values_of_kind(region, rule["kind"], rule.get("shape"), date_format, decimal)
    nth = rule.get("nth", 0)
    shaped = values and rule["kind"] == ID and rule.get("shape")
    if nth == 0 and shaped and _shaped_later(region, values[0], date_format, decimal):
        return None
    return values[nth] if nth < len(values) else None


def _shaped_later(region: str, value: str, date_format: str | None, decimal: str | None) -> bool:
    """Whether a reference of another shape comes before the first one of the learned shape in the region.

    Learned where the reference was the first after its label, the rule's
    shape finds a later one when this bill writes its own another way:
    "Bestellung 4500012345 vom 01.03.2024, Lieferschein LS-77" holds the
    order first, the delivery note's number (of the learned ``PO-4711``'s
    shape) after it.  That one is another field's; the order is read
    another way (``read_any_shape``) or not at all.
    """
    tokens = [token.strip(":;,()[]#") for token in region.split()]
    first = value.split()[0]
    for token in tokens:
        if token == first:
            return False
        if _reference_like(token, region, date_format, decimal):
            return True
    return False


def _values_of_kind(region: str, kind: str, shape: str | None, date_format: str | None, decimal: str | None):
    if kind == DATE:
        dayfirst = not (date_format or "").startswith("%m")
        return [found for _start, _end, found in find_dates(region, dayfirst=dayfirst)]
    if kind == AMOUNT:
        amounts = []
        for match in _AMOUNT.finditer(region):
            if is_percentage(region, match.end()):
                continue  # a rate, "19 %", is not an amount
            amount = parse_amount(match.group(0).strip(), decimal) if decimal else parse_amount(match.group(0).strip())
            if amount is not None:
                amounts.append(amount)
        return amounts
    if kind == TEXT:
        text = " ".join(region.split()).strip(" :;,-")
        return [text] if text else []
    tokens = [token.strip(":;,()[]#") for token in region.split()]
    if shape:
        # an identifier printed in groups is a run of tokens: the longest run of the shape from each token
        found = []
        for start in range(len(tokens)):
            for end in range(min(len(tokens), start + MAX_ID_TOKENS), start, -1):
                run = " ".join(tokens[start:end])
                if re.search(r"\d", run) and re.fullmatch(shape, run):
                    found.append(run)
                    break
        return found
    return [token for token in tokens if re.search(r"\d", token)]


# Fields whose shape is not the supplier's to keep: a purchase order reference is numbered by the buyer,
# each of its buyers (or buyer's departments) its own way ("PO-4711", "4500012345", "K/2024/17").
ANY_SHAPE_FIELDS = ("po_reference",)


def read_any_shape(layout: Layout, rule: dict, date_format: str | None = None, decimal: str | None = None):
    """The reference where ``rule``'s label points, of another shape than learned; None when there is none.

    Read when the rule, shape and all, finds nothing: its label is printed
    but the value beside or under it is written another way.  A token with
    digits that is no date and no amount (a date or an amount in the
    cell is another field's), as ``nth`` of those.  Only for
    ``ANY_SHAPE_FIELDS``: an invoice number's shape is the supplier's own.

    >>> from invoice_import.engine.layout import Word
    >>> words = [Word("Your", 10, 10, 30, 20), Word("order:", 32, 10, 60, 20), Word("4500012345", 62, 10, 120, 20)]
    >>> rule = {"label": "Your order:", "where": "right", "kind": "id", "shape": r"[A-Z]+-\\d+"}
    >>> read_any_shape(Layout([words]), rule)
    '4500012345'
    """
    if rule["kind"] != ID or not rule.get("shape"):
        return None
    for index, start, end in _label_runs(layout, rule["label"]):
        region = _region(layout, index, start, end, rule)
        if region is None:
            continue
        tokens = [token.strip(":;,()[]#") for token in region.split()]
        found = [token for token in tokens if _reference_like(token, region, date_format, decimal)]
        nth = rule.get("nth", 0)
        if nth < len(found):
            return found[nth]
    return None


def _reference_like(token: str, region: str, date_format, decimal) -> bool:
    """A token with digits, three characters at least, that reads as no date, amount or rate."""
    if len(token) < 3 or not re.search(r"\d", token) or token.endswith("%"):
        return False
    if re.fullmatch(r"-?\d{1,3}(?:[.,' ]\d{3})*[.,]\d{2}", token):
        return False  # an amount with its cents
    return not _values_of_kind(token, DATE, None, date_format, decimal)


def describe(rule: dict) -> str:
    """A rule in plain words, for the format's ``learned.positions`` (``right of "Total", in the next cell``)."""
    label = f'"{rule["label"]}"'
    if rule["where"] == "below":
        text = f"under {label}" + (f", {rule['skip'] + 1} cells down" if rule.get("skip") else "")
    else:
        along = rule.get("cells_after", 0)
        text = f"right of {label}" + (", in the next cell" if along == 1 else f", {along} cells along" if along else "")
    kind = {"date": "date", "amount": "amount", "id": "reference", "text": "text"}[rule["kind"]]
    if rule.get("nth"):
        text += f", its {_ORDINALS.get(rule['nth'], str(rule['nth'] + 1) + 'th')} {kind}"
    return text


_ORDINALS = {1: "second", 2: "third", 3: "fourth"}


# ----------------------------------------------------------------------------- learning


def learn_positions(layout: Layout, values: dict, date_format: str | None = None, decimal: str | None = None) -> dict:
    """The simplest positional rule per confirmed value that reads it back on this layout.

    ``values``: ``{field: date | Decimal | str}`` for fields of
    ``FIELD_KINDS`` (others are ignored).  Returns ``{field: rule}`` for the
    values a rule was found for.  In order: a value no other field took; a
    date label that names no other event (delivery, period, payment for the
    issue date); a value that is no part of a sentence (a remark quoting an
    order, payment terms naming a date: boilerplate that may not follow the
    bill's values); the label in the value's cell or the next before a title
    above it, before a label further along the line; a label that gives a
    value once before a common one (a label word also printed in a sentence,
    where no value follows it as it does here, is still read once); a label that begins its cell before the tail of
    one; fewer cells away; fewer words on the line (an address word before
    a label is no label), the whole title above; the value printed first.
    A value printed only in a sentence gets no positional rule: the text
    rule that reads it is weighed against the template-free reading on
    each bill (``learned.in_sentence``), a positional one would go unchecked.
    """
    rules: dict[str, dict] = {}
    claimed: set[tuple[int, int, int | None]] = set()
    for key, value in values.items():
        kind = FIELD_KINDS.get(key)
        if kind is None or value is None or value == "":
            continue
        best, best_rank, best_place = None, None, None
        for rule, place, starts, prose in _candidates(layout, kind, value, date_format, decimal):
            if not _same(read_position(layout, rule, date_format, decimal), value, kind):
                continue
            # how often the label gives a value: "Bestellung:" is also a word of a sentence further down
            # ("gemäß Bestellung Nr. ..."), where it gives none in the next cell: a label read once still
            count = sum(1 for _ in itertools.islice(_readings(layout, rule, date_format, decimal), 2))
            words = rule["label"].split()
            rank = (
                place in claimed,
                _names_other_event(key, rule["label"]),
                prose,
                _distance(rule),
                _vocabulary_rank(key, rule["label"]),
                _ends_with_unit(words),
                count > 1,
                not starts,
                rule.get("cells_after", 0) + rule.get("skip", 0),
                -len(words) if rule["where"] == "below" else len(words),
                place,
            )
            if best_rank is None or rank < best_rank:
                best, best_rank, best_place = rule, rank, place
        if best is not None and not best_rank[2]:
            rules[key] = best
            claimed.add(best_place)
    return rules


# The template-free reader's label kinds (``freeform.labels``) that name each field.
_FIELD_LABELS = {
    "invoice_number": ("number", "title"),
    "issue_date": ("issue_date",),
    "due_date": ("due_date", "debit"),
    "amount_total": ("total", "total_qualifier"),
    "amount_untaxed": ("untaxed", "untaxed_qualifier"),
    "amount_tax": ("tax",),
    "po_reference": ("po",),
    "supplier_name": ("supplier_role",),
    "supplier_vat": ("vat", "company_id"),
}


def _vocabulary_rank(key: str, label: str) -> int:
    """0: the label is the field's known words alone; 1: with words around them, or unknown; 2: a column title.

    The label vocabularies (en, de, fr, nl, es, it) tell ``BTW-nr.`` from
    ``Lyon · BTW-nr.``: both read the VAT number on the learning bill, the
    first does not depend on the city printed before it.  A table's column
    title (``Amount``, ``VAT``) over an item row comes last: the rows under
    it change from bill to bill.
    """
    from .freeform.labels import TABLE_HEADER, find_labels

    folded = fold(label)
    hits = find_labels(folded, label)
    if hits and all(name == TABLE_HEADER for hit in hits for name, _strength in hit.fields):
        return 2
    wanted = _FIELD_LABELS.get(key, ())
    known = [hit for hit in hits if any(name in wanted for name, _strength in hit.fields)]
    if not known:
        return 1
    covered = "".join(" " if any(hit.start <= i < hit.end for hit in known) else ch for i, ch in enumerate(folded))
    # a currency after the label ("Total EUR") is no stray word: the supplier bills in it every time
    stray = [word for word in re.findall(r"[^\W\d_]{2,}", covered) if word.upper() not in ISO_4217_CURRENCIES]
    return 1 if stray else 0


def _ends_with_unit(words: list[str]) -> bool:
    """Whether a label ends with a currency or a rate sign (``Total EUR``, ``VAT %``): the label without it is surer.

    The supplier's currency is the same on every bill, but OCR splits or
    misreads a code or sign more often than words, and a rate is the bill's.
    """
    last = words[-1].strip("():[]")
    return last.upper() in ISO_4217_CURRENCIES or last in ("%", "€", "$", "£", "¥")


def _distance(rule: dict) -> int:
    """0: the value in the label's cell or the next; 1: the cell under the label; 2: further along the line."""
    if rule["where"] == "below":
        return 1
    return 0 if rule.get("cells_after", 0) <= 1 else 2


def _candidates(layout: Layout, kind: str, value, date_format, decimal):
    """``(rule, place, starts, prose)`` for each place the value is printed: the labels left of it, the titles above.

    ``place`` says where the value is printed; ``starts`` whether the label
    begins its cell (``Date fin :`` holds the label ``Date fin :``, not ``fin :``);
    ``prose`` whether the value is quoted inside a sentence (``_in_prose``).
    """
    shape = _id_shape(str(value)) if kind == ID else None
    for index, line in enumerate(layout.lines):
        for number, cell in enumerate(line.cells):
            found = _values_of_kind(cell.text, kind, shape, date_format, decimal)
            if not any(_same(item, value, kind) for item in found):
                continue
            base = {"kind": kind, **({"shape": shape} if shape else {})}
            # on the value's line: label words just before it in its cell, or ending a cell before it
            value_word = _first_word_of(cell, kind, value, shape, date_format, decimal)
            place = (index, number, value_word)  # where the value is printed: two fields never share it
            prose = _in_prose(cell, value_word, kind, value, shape, date_format, decimal)
            for label_cell in range(number, max(-1, number - MAX_CELLS_AFTER - 1), -1):
                words = line.cells[label_cell].words
                if label_cell == number:
                    words = words[:value_word] if value_word is not None else []
                # a currency or rate sign before the value ("Total EUR 12,00") may stay out of the label
                unit = 1 if len(words) > 1 and _ends_with_unit([words[-1].text]) else 0
                ends = [len(words)] + ([len(words) - unit] if unit else [])
                spans = [(stop, size) for stop in ends for size in range(1, min(MAX_LABEL_WORDS, stop) + 1)]
                for stop, size in spans:
                    label = words[stop - size : stop]
                    if _is_label([word.text for word in label]):
                        rule = {"label": " ".join(w.text for w in label), "where": "right"}
                        starts = label[0] is line.cells[label_cell].words[0]
                        if number - label_cell:
                            rule["cells_after"] = number - label_cell
                        rule = _with_nth(
                            rule, base, cell, label_cell == number, label, kind, value, shape, date_format, decimal
                        )  # noqa: E501
                        yield rule, place, starts, prose
            # a title above: a cell of label words whose column holds this cell
            for above in range(index - 1, max(-1, index - MAX_LINES_ABOVE - 1), -1):
                if layout.lines[above].page != line.page:
                    break
                for title in layout.lines[above].cells:
                    for start in range(len(title.words)):
                        for end in range(start + 1, min(len(title.words), start + MAX_LABEL_WORDS) + 1):
                            label = title.words[start:end]
                            if not _is_label([word.text for word in label]):
                                continue
                            x0, x1 = min(w.x0 for w in label), max(w.x1 for w in label)
                            for skip in range(MAX_SKIP + 1):
                                below = layout.cell_below(above, x0, x1, skip=skip)
                                if below is None:
                                    break
                                if below[0] == index and below[1] is cell:
                                    rule = {"label": " ".join(w.text for w in label), "where": "below"}
                                    if skip:
                                        rule["skip"] = skip
                                    rule = _with_nth(
                                        rule, base, cell, False, [], kind, value, shape, date_format, decimal
                                    )  # noqa: E501
                                    yield rule, place, label[0] is title.words[0], prose
                                    break


def _with_nth(rule, base, cell, same_cell, label, kind, value, shape, date_format, decimal) -> dict:
    """The rule with its kind, shape and ``nth``: which value of its kind the region holds the confirmed one at."""
    rule.update(base)
    if same_cell:
        after = cell.words[cell.words.index(label[-1]) + 1 :]
        region = " ".join(word.text for word in after)
    else:
        region = cell.text
    found = _values_of_kind(region, kind, shape, date_format, decimal)
    nth = next((i for i, item in enumerate(found) if _same(item, value, kind)), 0)
    if nth:
        rule["nth"] = nth
    return rule


def _in_prose(cell, value_word, kind, value, shape, date_format, decimal) -> bool:
    """Whether the value is quoted inside a sentence (``learn.quoted_in_sentence``, on its cell's words).

    "Rechnung gemäß Bestellung Nr. 2018-471331 vom 01.03.2018.", "Payable
    within 30 days net by 04.04.2020, 2% discount ...": a remark or the
    payment terms quote the value, often as boilerplate the next bill does
    not update, while a field's value ends its cell ("Order: 4711-17",
    "Due date 04.04.2020") or a title's linking word follows it ("Rechnung
    Nr. 471102 vom 05.03.2020").
    """
    if value_word is None:
        return False
    words = cell.words
    # the value's own words: the fewest from its first that read it (a date "24. Januar 2014" takes three)
    for end in range(value_word + 1, len(words) + 1):
        text = " ".join(word.text for word in words[value_word:end])
        found = _values_of_kind(text, kind, shape, date_format, decimal)
        if found and _same(found[0], value, kind):
            break
    from .learn import quoted_in_sentence

    return quoted_in_sentence(" ".join(w.text for w in words[:value_word]), " ".join(w.text for w in words[end:]))


def _first_word_of(cell, kind, value, shape, date_format, decimal) -> int | None:
    """The index of the cell's word where the value starts (the words before it may be its label)."""
    for position in range(len(cell.words) - 1, -1, -1):
        rest = " ".join(word.text for word in cell.words[position:])
        found = _values_of_kind(rest, kind, shape, date_format, decimal)
        if found and _same(found[0], value, kind):
            return position
    return None


def _same(got, value, kind: str) -> bool:
    if got is None:
        return False
    if kind == AMOUNT:
        return isinstance(got, Decimal) and abs(got) == abs(Decimal(str(value)))
    if kind == DATE:
        return isinstance(got, dt.date) and got == value
    return "".join(str(got).split()).casefold() == "".join(str(value).split()).casefold()


def _is_label(words: list[str]) -> bool:
    """Words a label is made of (``N° :``, ``Date:``): no digit, a first word with letters, three letters in all."""
    if not words or any(re.search(r"\d", word) for word in words) or not re.search(r"[^\W\d_]", words[0]):
        return False
    if any(is_month(word) for word in words):
        return False  # a date printed before the value, not its label
    return sum(len(re.sub(r"[\W\d_]", "", word)) for word in words) >= 3


def _names_other_event(key: str, label: str) -> bool:
    if FIELD_KINDS[key] != DATE:
        return False
    stems = _OTHER_EVENT + (_PAYMENT if key == "issue_date" else ())
    return any(word.startswith(stem) for word in _fold(label).split() for stem in stems)


def _id_shape(value: str) -> str:
    from .learn import _text_shape

    return _text_shape(value.strip()).replace("[ \\t]?", r"\s?")


def _fold(text: str) -> str:
    return " ".join(fold(text).split())
