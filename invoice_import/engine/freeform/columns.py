"""Labels and values that OCR printed as two columns, paired again.

Tesseract's page segmentation reads a block of labels, then the block of
their values ("Invoice Date / Due Date / Your Reference" ...
"11/03/2017 / 12/03/2017 / COMPRA0832"), where the page showed each value
beside its label.  A run of lone labels is paired with the next run of
lone values in order, a date label only ever with a date; a value found
this way is less sure than one beside or under its label.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from ..values import find_dates
from .labels import (
    CREDIT_TITLE,
    CUSTOMER_ROLE,
    DELIVERY_ROLE,
    DUE_DATE,
    ISSUE_DATE,
    SUPPLIER_ROLE,
    TABLE_HEADER,
    TITLE,
)

if TYPE_CHECKING:
    from .document import Line

_MAX_PENDING_LINES = 20  # a column of values further than this below its labels is not theirs
_MAX_VALUE_CHARS = 50
PAIRED_FACTOR = 0.6  # a value paired by column order is less sure than one beside or under its label
_OCR_SPECKS = 2  # a stray character or two that OCR read from dust next to a label
_DATE_WORDS = ("date", "datum", "dated", "echeance")
_DATE_SHAPE = re.compile(r"(?<!\d)\d{1,2} ?[./-] ?\d{1,2} ?[./-] ?\d{2,4}(?!\d)")
_WITHOUT_VALUE = (TITLE, CREDIT_TITLE, SUPPLIER_ROLE, CUSTOMER_ROLE, DELIVERY_ROLE, TABLE_HEADER)


def pair_label_and_value_columns(lines: list[Line]) -> dict[int, int]:
    """Label line index -> value line index, for runs of lone labels followed by their values.

    Runs are matched first come, first served: OCR may print two label
    columns one after the other, then their two value columns.
    """
    paired: dict[int, int] = {}
    pending: list[list[Line]] = []  # label runs still waiting for their values
    index = 0
    while index < len(lines):
        labels, after_labels = _run(lines, index, _is_lone_label)
        if len(labels) >= 2:
            pending.append(labels)
        values, after_values = ([], index) if labels else _run(lines, index, _is_lone_value)
        pending = [run for run in pending if index - run[-1].index <= _MAX_PENDING_LINES]
        if values and pending:
            pairs = _aligned(pending[0], values)
            if pairs:  # a lone number elsewhere is not the values' column: the labels keep waiting
                pending.pop(0)
                paired.update((label.index, value.index) for label, value in pairs)
        index = max(index + 1, after_labels, after_values)
    return paired


def _run(lines: list[Line], start: int, accept) -> tuple[list[Line], int]:
    """The lines from ``start`` that ``accept`` takes, stray OCR specks between them skipped; and where it ends."""
    run, index = [], start
    while index < len(lines):
        if accept(lines[index]):
            run.append(lines[index])
        elif not (run and len(lines[index].text) <= _OCR_SPECKS):
            break
        index += 1
    return run, index


def _aligned(labels: list[Line], values: list[Line]) -> list[tuple[Line, Line]]:
    """Labels and values in order, a date always paired with a date label and a date label with a date.

    With more values than labels, OCR may have put stray lines before or
    after them: the first shift that fits wins.  Otherwise some labels had
    no value: each value goes to the next label of its kind, and the pairing
    stands if at least half the labels got one.
    """
    for offset in range(len(values) - len(labels) + 1):
        window = values[offset : offset + len(labels)]
        if all(_fits(label, value) for label, value in zip(labels, window, strict=True)):
            return list(zip(labels, window, strict=True))
    pairs, remaining = [], iter(labels)
    for value in values:
        label = next((candidate for candidate in remaining if _fits(candidate, value)), None)
        if label is None:
            break
        pairs.append((label, value))
    return pairs if len(pairs) >= max(2, len(labels) / 2) else []


def _fits(label: Line, value: Line) -> bool:
    """A date label takes a date (or what OCR made of one: "06.98.2013"), another label anything else."""
    return _is_date_label(label) == bool(find_dates(value.text) or _DATE_SHAPE.search(value.text))


def _is_date_label(line: Line) -> bool:
    hit = line.hits[0]
    return bool(hit.strength(ISSUE_DATE) or hit.strength(DUE_DATE)) or any(
        word in hit.phrase.split() for word in _DATE_WORDS
    )


def _is_lone_label(line: Line) -> bool:
    """A line that is one label taking a value (a title or an address heading takes none)."""
    if len(line.hits) != 1 or all(name in _WITHOUT_VALUE for name, _ in line.hits[0].fields):
        return False
    hit = line.hits[0]
    before = line.text[: hit.start].strip(" |[(")
    after = line.text[hit.end :].strip(" :.|])")
    return len(before) <= _OCR_SPECKS and len(after) <= _OCR_SPECKS


def _is_lone_value(line: Line) -> bool:
    """A short line with a digit that does not start with a label ("30% d'acompte, solde à 30 j" is a value)."""
    starts_with_label = any(hit.start <= _OCR_SPECKS for hit in line.hits)
    return not starts_with_label and len(line.text) <= _MAX_VALUE_CHARS and any(ch.isdigit() for ch in line.text)
