"""Labels set as headings: a title wrapped over two lines of its cell, a value under another title.

Header tables, boxes and cards print a field's title over its value; a
narrow cell wraps a long title ("Bestell-" over "nummer:", "Date de"
over "facture", "Numéro de facture / Invoice" over "number").  Neither
line alone is the label (or only a shorter one): the two read together
are.  Cells of uneven heights put a title's last line level with the
next column's value, which is the title's above it.  The number and the
dates readers ask these alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ..layout import Cell, LayoutLine
from .document import Document, Line
from .labels import LabelHit, find_labels, fold

# A label wrapped over two lines of a narrow cell: each line this short, the second aligned with the first.
_WRAP_CHARS = 32  # "Numéro de facture / Invoice" over "number": a label and its translation
WRAP_ALIGN = 3.0  # points: two lines of one block start, end or centre this close
# A hyphen ending a line: PDFium reads one a word wraps at as U+0002; a soft hyphen or U+2010 elsewhere.
HYPHENS = ("-", "\x02", "\u00ad", "\u2010")
# Text heights between a title's line and its value's right under it, or a title's or a date's rest: as close as
# the lines of one cell.  A label's two aligned lines may stand a little further apart (one text height).
CELL_LINE_GAP = 0.6
_LABEL_END = " :.#°º"  # what may follow a label in its cell: its colon or its number sign


def follows_in_cell(above: LayoutLine, below: LayoutLine) -> bool:
    """Whether layout line ``below`` follows ``above`` as the next line of one cell would: on its page, at most
    ``CELL_LINE_GAP`` of ``above``'s text height under it."""
    return below.page == above.page and below.top - above.bottom <= CELL_LINE_GAP * above.height


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
    """Every label of ``field_name`` a cell wraps over two lines, top to bottom (none without positions).

    The number and the dates readers each ask, and most cells continue on
    no next line: the cells that do, with the labels their two lines hold
    together, are found once per document (``memo``) and only filtered by
    field here.
    """
    key = "wrapped cells"
    if key not in doc.memo:
        doc.memo[key] = _wrapped_cells(doc) if doc.layout is not None else []
    for wrapped in doc.memo[key]:
        for hit in wrapped.hits:
            strength = hit.strength(field_name)
            if strength:
                yield WrappedLabel(hit, strength, wrapped.line, wrapped.first, wrapped.second_index, wrapped.second)
                break


@dataclass(frozen=True)
class _WrappedCell:
    """A cell continued on the cell under it, with the labels that only the two lines read together make."""

    line: Line
    first: Cell
    second_index: int
    second: Cell
    hits: tuple[LabelHit, ...]


def _wrapped_cells(doc: Document) -> list[_WrappedCell]:
    """Every cell of the document whose two lines make a label, top to bottom."""
    found = []
    for line in doc.lines:
        for cell in line.geometry.cells if line.geometry is not None else ():
            wrapped = _wrapped_cell(doc, line, cell)
            if wrapped is not None:
                found.append(wrapped)
    return found


def _wrapped_cell(doc: Document, line: Line, cell: Cell) -> _WrappedCell | None:
    """The cell under ``cell`` and the labels the two make together, when they make any.

    The second line must start where the first does (or end where it ends,
    or be centred under it) and follow it closely, each line be short and
    hold no digit, and a label end the joined text, so that two lines of
    a paragraph are not read as one label.  A word wrapped at its hyphen
    is one word again ("Bestell-" + "nummer").  A label must reach over
    the break: one line alone holds it already.
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
    hits = tuple(
        hit
        for hit in find_labels(fold(joined), joined)
        if hit.start < len(first) - glued < hit.end and not joined[hit.end :].strip(_LABEL_END)
    )
    return _WrappedCell(line, cell, index, second, hits) if hits else None


def _aligned(cell: Cell, second: Cell) -> bool:
    """Whether two lines of a cell are aligned as one block of text: on the left, on the right or centred."""
    return (
        abs(second.x0 - cell.x0) <= WRAP_ALIGN
        or abs(second.x1 - cell.x1) <= WRAP_ALIGN
        or abs(second.x0 + second.x1 - cell.x0 - cell.x1) <= 2 * WRAP_ALIGN
    )


def under_another_title(
    doc: Document, line: Line, hit: LabelHit, start: int, end: int, heads: Callable[[LabelHit], bool] | None = None
) -> bool:
    """Whether the value at ``start:end`` of a label's line, in a cell of its own, is printed under another title.

    Header cards and table cells of uneven heights put a label's last line
    ("/ PO number", "Invoice date" of "Rechnungsdatum /" wrapped) level
    with the value of the next column, whose title ("Klantnummer", "Fällig
    am") is right above that value, not above the label: the value is that
    title's.  A title ends its cell; ``heads`` says which labels may head
    the reader's values (any label when None).  A key and its value side
    by side have no title over the value.
    """
    if line.geometry is None or line.index == 0:
        return False
    value = line.geometry.cell_at(start)
    if value is None or value is line.geometry.cell_at(hit.start):
        return False
    above = doc.lines[line.index - 1]
    span, own = line.geometry.x_of(start, end), line.geometry.x_of(hit.start, hit.end)
    if above.geometry is None or above.page != line.page or span is None or own is None:
        return False
    if line.geometry.top - above.geometry.bottom > CELL_LINE_GAP * line.geometry.height:
        return False
    for other in above.hits:
        title = above.geometry.x_of(other.start, other.end)
        over_the_value = title is not None and _overlap(title, span) and not _overlap(title, own)
        if over_the_value and (heads is None or heads(other)) and _titles_its_cell(above, other):
            return True
    return False


def _overlap(one: tuple[float, float], other: tuple[float, float]) -> bool:
    return one[0] < other[1] and other[0] < one[1]


def _titles_its_cell(line: Line, hit: LabelHit) -> bool:
    """Whether nothing but a colon, a number sign or the slash before its translation follows the label in its cell."""
    cell = line.geometry.cell_at(hit.start)
    return cell is not None and not line.text[hit.end : cell.end].strip(_LABEL_END + "/")
