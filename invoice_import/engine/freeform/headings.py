"""Labels set as headings: a title wrapped over two lines of its cell.

Header tables, boxes and cards print a field's title over its value; a
narrow cell wraps a long title ("Bestell-" over "nummer:", "Date de"
over "facture", "Numéro de facture / Invoice" over "number").  Neither
line alone is the label (or only a shorter one): the two read together
are.  The number and the dates readers ask this alike.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from ..layout import Cell
from .document import Document, Line
from .labels import LabelHit, find_labels, fold

# A label wrapped over two lines of a narrow cell: each line this short, the second aligned with the first.
_WRAP_CHARS = 32  # "Numéro de facture / Invoice" over "number": a label and its translation
WRAP_ALIGN = 3.0  # points: two lines of one block start, end or centre this close
# A hyphen ending a line: PDFium reads one a word wraps at as U+0002; a soft hyphen or U+2010 elsewhere.
HYPHENS = ("-", "\x02", "\u00ad", "\u2010")
_LABEL_END = " :.#°º"  # what may follow a label in its cell: its colon or its number sign


@dataclass(frozen=True)
class WrappedLabel:
    """A label read from two lines of one cell: ``first`` on ``line``, ``second`` on line ``second_index``."""

    hit: LabelHit
    strength: float
    line: Line
    first: Cell
    second_index: int
    second: Cell

    @property
    def span(self) -> tuple[float, float]:
        """The x extent of the two lines: the value under the label sits under either."""
        return min(self.first.x0, self.second.x0), max(self.first.x1, self.second.x1)


def wrapped_labels(doc: Document, field_name: str) -> Iterator[WrappedLabel]:
    """Every label of ``field_name`` a cell wraps over two lines, top to bottom (none without positions)."""
    if doc.layout is None:
        return
    for line in doc.lines:
        for cell in line.geometry.cells if line.geometry is not None else ():
            wrapped = wrapped_label(doc, line, cell, field_name)
            if wrapped is not None:
                yield wrapped


def wrapped_label(doc: Document, line: Line, cell: Cell, field_name: str) -> WrappedLabel | None:
    """The label of ``field_name`` that ``cell`` starts and the cell under it ends, when the two make one.

    The second line must start where the first does (or end where it ends,
    or be centred under it) and follow it closely, each line be short and
    hold no digit, and the label end the joined text, so that two lines of
    a paragraph are not read as one label.  A word wrapped at its hyphen
    is one word again ("Bestell-" + "nummer").
    """
    first = cell.text
    if len(first) > _WRAP_CHARS or any(ch.isdigit() for ch in first):
        return None
    below = doc.layout.cell_below(line.index, cell.x0, cell.x1)
    if below is None:
        return None
    index, second = below
    under = doc.layout.lines[index]
    if (
        not _aligned(cell, second)
        or under.top - line.geometry.bottom > line.geometry.height
        or len(second.text) > _WRAP_CHARS
        or any(ch.isdigit() for ch in second.text)
    ):
        return None
    hyphen = first[-1:] in HYPHENS
    glued = hyphen and second.text[:1].islower()  # "Bestell-" + "nummer": one word again
    if hyphen:
        joined = first[:-1] + ("" if glued else "-") + second.text
    else:
        joined = f"{first} {second.text}"
    for hit in find_labels(fold(joined), joined):
        strength = hit.strength(field_name)
        if strength and hit.start < len(first) - glued < hit.end and not joined[hit.end :].strip(_LABEL_END):
            return WrappedLabel(hit, strength, line, cell, index, second)
    return None


def _aligned(cell: Cell, second: Cell) -> bool:
    """Whether two lines of a cell are aligned as one block of text: on the left, on the right or centred."""
    return (
        abs(second.x0 - cell.x0) <= WRAP_ALIGN
        or abs(second.x1 - cell.x1) <= WRAP_ALIGN
        or abs(second.x0 + second.x1 - cell.x0 - cell.x1) <= 2 * WRAP_ALIGN
    )
