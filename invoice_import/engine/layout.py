"""Positioned words: the one input of the template-free reader, from a PDF text layer or from OCR.

A PDF's characters (pypdfium2 character boxes) and tesseract's words
(``image_to_data``) become the same thing here: ``Word`` objects with a box
on a page.  ``Layout`` groups them into lines by vertical overlap across
the whole page width (so a label on the left and its value far to the
right share a line), and each line into *cells*: runs of words with no
column gap between them ("Invoice date:" and "05.03.2018" printed 4 cm
apart are two cells of one line).  Geometry then answers what flat text
cannot: which cell lies under a label (a header row of titles with the
values below, an address block beside another), and where a cell starts.

Coordinates are the page's own units (PDF points, or image pixels), top
down; only ratios to the text height are used, so both sources behave
alike.
"""

from __future__ import annotations

import bisect
import math
import re
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

# Two words are in one line when their boxes overlap vertically by this share of the smaller height.
_LINE_OVERLAP = 0.5
# A gap wider than this many text heights between two words of a line is a column gap: a new cell.
_CELL_GAP = 1.2
# Characters further apart than this share of the text height are two words even without a space.
_WORD_GAP = 0.45
# A space pdfium made up between two glyphs is letter spacing, not a word break, when the glyphs either side
# are as far apart as their neighbours (letter-spaced print: each glyph set this share of the text height or
# more apart) give or take this share of the text height: a real space adds a space's advance (a quarter em).
_TRACKING_MIN = 0.04
_TRACKING_SLACK = 0.12
# A word gap of a table row this close (in text heights) to where a cell of the next row starts or ends is a
# cell gap; rows at most this many text heights apart are next to each other.
_COLUMN_ALIGN = 0.3
_ROW_REACH = 2.2
# An amount whose thousands are set apart by a space: "2 388,91", "-12 500.00".
_THOUSANDS_APART = re.compile(r"[-+]?\d{1,3} \d{3}(?:[.,]\d{1,2})?")
# A cell "below" a label is at most this many text heights lower than the label's line.
_BELOW_REACH = 3.2
CELL_SEPARATOR = "   "  # how a column gap is written in a line's text


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    page: int = 0
    confidence: float = 1.0  # OCR's own confidence (0..1); 1.0 for a text layer

    @property
    def height(self) -> float:
        return max(self.bottom - self.top, 1e-6)


class PageFrame(tuple):
    """A page image's (width, height), and the steps that made the image its words were read on from it.

    OCR reads a prepared copy of the page: scaled, levelled (turned a few
    degrees, the canvas grown to hold it), a receipt cut out of its sheet,
    a page read upside down turned over.  ``steps`` lists them in order, so
    a box on the copy maps back onto the page image (``source_box``):

    * ``("scale", fx, fy)``: each coordinate multiplied;
    * ``("rotate", degrees, (w, h), (W, H))``: ``Image.rotate(degrees, expand=True)`` of a (w, h) image into (W, H);
    * ``("crop", left, top)``: the image cut from (left, top);
    * ``("turn", degrees, (w, h))``: turned counter-clockwise by 90, 180 or 270 degrees.
    """

    def __new__(cls, width: float, height: float, steps=()):
        frame = super().__new__(cls, (width, height))
        frame.steps = tuple(steps)
        return frame

    def source_box(self, x0: float, top: float, x1: float, bottom: float) -> tuple[float, float, float, float]:
        """The box, in the read copy's units, as a box on the page image (the corners' bounding box)."""
        corners = [(x0, top), (x1, top), (x0, bottom), (x1, bottom)]
        for step in reversed(self.steps):
            corners = [_undo(step, x, y) for x, y in corners]
        xs, ys = [x for x, _ in corners], [y for _, y in corners]
        return min(xs), min(ys), max(xs), max(ys)


def _undo(step: tuple, x: float, y: float) -> tuple[float, float]:
    """The point (x, y) of an image made by ``step`` as the point of the image it was made from."""
    kind = step[0]
    if kind == "scale":
        return x / step[1], y / step[2]
    if kind == "crop":
        return x + step[1], y + step[2]
    if kind == "rotate":
        # PIL turns counter-clockwise on screen about the centre; y points down
        radians = math.radians(step[1])
        (width, height), (grown_width, grown_height) = step[2], step[3]
        dx, dy = x - grown_width / 2, y - grown_height / 2
        cos, sin = math.cos(radians), math.sin(radians)
        return width / 2 + dx * cos - dy * sin, height / 2 + dx * sin + dy * cos
    if kind == "turn":
        degrees, (width, height) = step[1] % 360, step[2]
        if degrees == 90:
            return width - y, x
        if degrees == 180:
            return width - x, height - y
        if degrees == 270:
            return y, height - x
    return x, y


@dataclass
class Cell:
    """Words of one line with no column gap between them; ``start`` is its offset in the line's text.

    A cell's words are all there when it is made (``_split_cells``): its
    text and extent, asked for thousands of times a page, are worked out once.
    """

    words: list[Word]
    start: int = 0

    @cached_property
    def text(self) -> str:
        return " ".join(word.text for word in self.words)

    @property
    def end(self) -> int:
        return self.start + len(self.text)

    @cached_property
    def x0(self) -> float:
        return min(word.x0 for word in self.words)

    @cached_property
    def x1(self) -> float:
        return max(word.x1 for word in self.words)


@dataclass
class LayoutLine:
    page: int
    words: list[Word]
    cells: list[Cell] = field(default_factory=list)
    text: str = ""
    # (top, bottom, median word height) once the line is complete: asked for thousands of times per page
    bounds: tuple[float, float, float] | None = field(default=None, repr=False, compare=False)

    @property
    def top(self) -> float:
        return self.bounds[0] if self.bounds else min(word.top for word in self.words)

    @property
    def bottom(self) -> float:
        return self.bounds[1] if self.bounds else max(word.bottom for word in self.words)

    @property
    def height(self) -> float:
        return self.bounds[2] if self.bounds else statistics.median(word.height for word in self.words)

    def words_between(self, start: int, end: int) -> list[Word]:
        """The words holding any character of ``start:end`` of the line's text (cells joined by one space each)."""
        words = []
        for cell in self.cells:
            offset = cell.start
            for word in cell.words:
                if offset < end and start < offset + len(word.text):
                    words.append(word)
                offset += len(word.text) + 1
        return words

    def cell_at(self, offset: int) -> Cell | None:
        """The cell holding the character at ``offset`` of the line's text."""
        for cell in self.cells:
            if cell.start <= offset < cell.end + len(CELL_SEPARATOR):
                return cell
        return None

    def x_of(self, start: int, end: int) -> tuple[float, float] | None:
        """Horizontal extent of the characters ``start:end`` of the line's text (a word's box at least)."""
        spans = []
        for cell in self.cells:
            offset = cell.start
            for word in cell.words:
                if offset < end and start < offset + len(word.text):
                    spans.append((word.x0, word.x1))
                offset += len(word.text) + 1
        if not spans:
            return None
        return min(x0 for x0, _ in spans), max(x1 for _, x1 in spans)


class Layout:
    """The words of a document as lines of cells, page after page, top to bottom.

    ``pages``: one list of words per page (a page may be empty).  ``texts``:
    a page's text as its source read it (an OCR page: tesseract's own lines,
    a till roll's rows), where there is one; ``page_texts`` gives it instead
    of the text made from the words.  ``sizes``: each page's (width, height)
    in its words' units, or a ``PageFrame`` for a page read from a prepared
    copy; None for a page whose words do not map onto it (a sheet cut out of
    a photo): what ``provenance`` needs to place a value on the page image.
    """

    def __init__(
        self,
        pages: list[list[Word]],
        texts: list[str | None] | None = None,
        sizes: list[tuple[float, float] | None] | None = None,
    ):
        self.page_count = len(pages)
        self.source_texts = list(texts or [None] * len(pages))
        self.sizes = list(sizes or [None] * len(pages))
        self.lines: list[LayoutLine] = []
        for number, words in enumerate(pages):
            self.lines.extend(_group_lines([w for w in words if w.text.strip()], number))

    @property
    def word_count(self) -> int:
        return sum(len(line.words) for line in self.lines)

    def page_words(self) -> list[int]:
        """How many words each page has."""
        counts = [0] * self.page_count
        for line in self.lines:
            counts[line.page] += len(line.words)
        return counts

    def page_texts(self) -> list[str]:
        """Each page's text: its source's (OCR), else one line per layout line, cells apart by ``CELL_SEPARATOR``."""
        pages = [[] for _ in range(self.page_count)]
        for line in self.lines:
            pages[line.page].append(line.text)
        return [
            source if source is not None else "\n".join(lines)
            for source, lines in zip(self.source_texts, pages, strict=True)
        ]

    def cell_below(self, index: int, x0: float, x1: float, skip: int = 0) -> tuple[int, Cell] | None:
        """The first cell under the span ``x0..x1`` of line ``index``: same page, within reach, overlapping.

        Lines whose cells do not overlap the span are passed over (the
        address block beside a header column); ``skip`` passes over that many
        overlapping cells first (the second value of a column).
        """
        line = self.lines[index]
        reach = line.bottom + _BELOW_REACH * line.height * (1 + skip)
        for below_index in range(index + 1, len(self.lines)):
            below = self.lines[below_index]
            if below.page != line.page or below.top > reach:
                return None
            for cell in below.cells:
                if cell.x0 < x1 and x0 < cell.x1:
                    if skip:
                        skip -= 1
                        break
                    return below_index, cell
        return None


def _group_lines(words: list[Word], page: int) -> list[LayoutLine]:
    """Words into lines (vertical overlap), each sorted left to right and split into cells.

    An open line's top, bottom, median word height and words by text are
    kept as words join it (``_Growing``, then ``bounds``), rather than
    computed again for every word tried.
    """
    lines: list[tuple[LayoutLine, _Growing]] = []  # each line with its bounds so far
    open_lines: list[tuple[LayoutLine, _Growing]] = []
    for word in sorted(words, key=lambda w: ((w.top + w.bottom) / 2, w.x0)):
        text = word.text
        if any(text in state.by_text and _duplicate(state.by_text[text], word) for _, state in open_lines):
            continue  # the same text drawn twice on itself (fake bold, a hidden copy): read once
        height, home = word.height, None
        for line, state in open_lines:
            overlap = min(state.bottom, word.bottom) - max(state.top, word.top)
            if overlap >= _LINE_OVERLAP * min(state.median, height) and not _collides(line, state, word):
                home = line, state
                break
        if home is None:
            open_lines = [(line, state) for line, state in open_lines if state.bottom >= word.top - 3 * height]
            home = LayoutLine(page, []), _Growing(word)
            lines.append(home)
            open_lines.append(home)
        home[0].words.append(word)
        home[1].add(word)
    for line, state in lines:
        line.bounds = (state.top, state.bottom, state.median)
        line.words.sort(key=lambda w: w.x0)
        _split_cells(line)
    ordered = sorted((line for line, _ in lines), key=lambda line: (line.top + line.bottom) / 2)
    _split_at_neighbour_columns(ordered)
    return ordered


class _Growing:
    """An open line's top, bottom, left and right, sorted word heights and their median, and its words by text.

    Kept up to date as words join it.
    """

    def __init__(self, first: Word):
        self.top, self.bottom, self.heights, self.median = first.top, first.bottom, [], 0.0
        self.left, self.right = first.x0, first.x1
        self.by_text: dict[str, list[Word]] = {}

    def add(self, word: Word) -> None:
        self.top, self.bottom = min(self.top, word.top), max(self.bottom, word.bottom)
        self.left, self.right = min(self.left, word.x0), max(self.right, word.x1)
        bisect.insort(self.heights, word.height)
        self.median = _median(self.heights)
        self.by_text.setdefault(word.text, []).append(word)


def _median(ordered: list[float]) -> float:
    """``statistics.median`` of a list already sorted."""
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def _duplicate(same_text: Iterable[Word], word: Word) -> bool:
    """Whether one of a line's words printing ``word``'s text (``same_text``) lies on it: drawn twice."""
    for other in same_text:
        overlap = min(other.x1, word.x1) - max(other.x0, word.x0)
        if overlap > 0.5 * (word.x1 - word.x0) and abs(other.top - word.top) < 0.5 * word.height:
            return True
    return False


def _collides(line: LayoutLine, state: _Growing, word: Word) -> bool:
    """A word overlapping one already in the line horizontally belongs to another line (tight leading).

    A word clear of the line's whole extent (``state``: left of its left
    end or right of its right end, the margin given) overlaps none of its
    words: most words join a line on its right, and are not compared with
    each word in it.
    """
    margin = 0.5 * word.height
    if word.x0 >= state.right - margin or state.left >= word.x1 - margin:
        return False
    return any(other.x0 < word.x1 - margin and word.x0 < other.x1 - margin for other in line.words)


def _split_cells(line: LayoutLine, columns: tuple[list[float], list[float]] = ((), ())) -> None:
    """The line's cells: runs of words apart by less than a column gap, or apart at one of ``columns``.

    ``columns``: (starts, ends) of the cells of a table row above or below
    (``_split_at_neighbour_columns``); two words either side of one are two
    cells however close.
    """
    _set_cells(line, _cell_runs(line, columns))


def _cell_runs(line: LayoutLine, columns: tuple[list[float], list[float]]) -> list[list[Word]]:
    """The words of ``line`` in runs, one a cell (see ``_split_cells``)."""
    height = line.height
    starts, ends = columns
    runs = [[line.words[0]]]
    for previous, word in zip(line.words, line.words[1:], strict=False):
        aligned = any(previous.x1 < x <= word.x0 + _COLUMN_ALIGN * height and word.x0 - x < _COLUMN_ALIGN * height
                      for x in starts) or any(
            previous.x1 - _COLUMN_ALIGN * height <= x < word.x0 and x - previous.x1 < _COLUMN_ALIGN * height
            for x in ends)  # fmt: skip
        if aligned and _THOUSANDS_APART.fullmatch(previous.text + " " + word.text):
            aligned = False  # "2 388,91": an amount with its thousands set apart is one value, whatever lines up
        if word.x0 - previous.x1 > _CELL_GAP * height or aligned:
            runs.append([word])
        else:
            runs[-1].append(word)
    return runs


def _set_cells(line: LayoutLine, runs: list[list[Word]]) -> None:
    """Give ``line`` the cells of ``runs`` and its text with a column gap written between them."""
    cells = [Cell(words) for words in runs]
    offset = 0
    for cell in cells:
        cell.start = offset
        offset += len(cell.text) + len(CELL_SEPARATOR)
    line.cells = cells
    line.text = CELL_SEPARATOR.join(cell.text for cell in cells)


def _split_at_neighbour_columns(lines: list[LayoutLine]) -> None:
    """Cells of a table row split where the row next to it starts or ends a cell (``_split_cells``' ``columns``).

    An HTML printer pads a table's cells by a few points, less than a
    column gap: titles read "Numéro de Date de" over "facture | facture",
    values "11.01.2025 25.01.2025" under "Rechnungsdatum | Fällig am".  In
    a table the cells of one row start (left-aligned) or end
    (right-aligned) where those of the next do, so a word gap of one row
    at such an edge of its neighbour is a cell gap too.  Only between two
    rows of two cells or more, one under the other, whose cells already
    start (or end) together inside the rows, not only at their margins,
    and only at that edge: a line of prose is one cell and stays whole, a
    short value's end in a left-aligned table is no column, and rows that
    share only a margin make no table (an address block's left edge beside
    a label, a totals amount ending under the items' column): "Data di
    emissione" and "2 388,91" stay whole.
    """
    edges = [([cell.x0 for cell in line.cells], [cell.x1 for cell in line.cells]) for line in lines]
    for index, line in enumerate(lines):
        if len(line.cells) < 2:
            continue
        starts, ends = [], []
        for other in (index - 1, index + 1):
            if 0 <= other < len(lines) and len(lines[other].cells) > 1 and _next_rows(line, lines[other]):
                starts += edges[other][0]
                ends += edges[other][1]
        # a row's first start and last end are the block's margins, shared by any lines one above the other
        by_start = _aligned(edges[index][0][1:], starts, line.height)
        by_end = _aligned(edges[index][1][:-1], ends, line.height)
        if by_start or by_end:  # left-aligned or right-aligned columns: split at that edge only
            _split_cells(line, (starts, []) if by_start >= by_end else ([], ends))


def _aligned(edges: list[float], others: list[float], height: float) -> int:
    """How many of a row's cell edges (starts, or ends) lie where one of its neighbours' does."""
    return sum(any(abs(edge - other) < _COLUMN_ALIGN * height for other in others) for edge in edges)


def _next_rows(line: LayoutLine, other: LayoutLine) -> bool:
    """Whether ``other`` is a row right above or below ``line`` on its page: within two of its heights."""
    return other.page == line.page and abs(other.top - line.top) < _ROW_REACH * max(line.height, other.height)


# ----------------------------------------------------------------------------- sources


def words_from_characters(chars: Iterable[tuple[str, float, float, float, float]], page: int) -> list[Word]:
    """Words from characters with boxes (text, x0, top, x1, bottom), in the order the PDF draws them.

    A space (pdfium also writes one where it sees a gap), a line break, a
    move back or to another line, or a gap of half the text height ends a
    word: PDFs that place every glyph on its own print no spaces at all.
    Glyph boxes of a tight font overlap their neighbours: only a move back
    past the previous glyph's start is a new run of text.
    """
    words: list[Word] = []
    # the word so far: its text and box (left, top, right, bottom); no box while the text is empty
    text, left, upper, right, lower, last_x0 = "", 0.0, 0.0, 0.0, 0.0, 0.0
    for char, x0, top, x1, bottom in chars:
        if not char.strip() or x1 <= x0 and bottom <= top:
            if text:
                words.append(Word(text, left, upper, right, lower, page=page))
            text = ""
            continue
        if text:
            height = max(lower - upper, bottom - top, 1e-6)
            new_line = top > lower - 0.3 * height or bottom < upper + 0.3 * height
            if new_line or x0 < last_x0 or x0 - right > _WORD_GAP * height:
                words.append(Word(text, left, upper, right, lower, page=page))
                text = ""
        if text:  # the box grows as min and max would: a NaN coordinate is kept or passed over as they do
            text += char
            if x0 < left:
                left = x0
            if top < upper:
                upper = top
            if x1 > right:
                right = x1
            if bottom > lower:
                lower = bottom
        else:
            text, left, upper, right, lower = char, x0, top, x1, bottom
        last_x0 = x0
    if text:
        words.append(Word(text, left, upper, right, lower, page=page))
    return words


def pdfium_page_words(page, number: int) -> list[Word]:
    """The words of a pypdfium2 page from its character boxes (fast: no layout analysis).

    Characters turned a quarter (a seller's legal details printed up or
    down the page margin) become words of their own: see ``sideways_words``.
    """
    import pypdfium2.raw as pdfium_c

    textpage = page.get_textpage()
    try:
        width, height = page.get_width(), page.get_height()
        handle = textpage.raw  # the C handle itself: the wrapper would be asked for it on every call
        count = pdfium_c.FPDFText_CountChars(handle)
        rect = pdfium_c.FS_RECTF()
        upright, turned = [], {UP: [], DOWN: []}
        # loose boxes: the glyph's advance and the font's height, not its ink ("1" is narrow in ink only)
        for index in range(count):
            code = pdfium_c.FPDFText_GetUnicode(handle, index)
            # no box, a space or line break (it ends a word whichever way it runs), or half of a UTF-16
            # surrogate pair (a pictogram: a phone, a globe): no invoice data
            if (
                not code
                or 0xD800 <= code <= 0xDFFF
                or not chr(code).strip()
                or not pdfium_c.FPDFText_GetLooseCharBox(handle, index, rect)
            ):
                made_up = code == 0x20 and pdfium_c.FPDFText_IsGenerated(handle, index) == 1
                for chars in (upright, *turned.values()):
                    if chars and chars[-1][0].strip():  # one blank ends a word; none is needed before the first
                        chars.append(_MADE_UP_BLANK if made_up and chars is upright else _BLANK)
                    elif chars and not made_up:
                        chars[-1] = _BLANK  # a space the PDF draws is a word break, whatever pdfium made up
                continue
            char = (chr(code), rect.left, height - rect.top, rect.right, height - rect.bottom)
            angle = pdfium_c.FPDFText_GetCharAngle(handle, index)
            turn = _quarter_turn(angle) if angle > 0 else None  # upright text: angle 0 (-1: none known)
            (turned[turn] if turn else upright).append(char)
        words = words_from_characters(without_letter_spacing(upright), number)
        return words + sideways_words(turned[UP], turned[DOWN], width, height, number)
    finally:
        textpage.close()


# What pdfium's spaces, line breaks and boxless characters become: the end of a word, whichever way it runs.
_BLANK = (" ", 0.0, 0.0, 0.0, 0.0)
# A space no character of the PDF draws: pdfium saw a gap there (``without_letter_spacing`` judges it).
_MADE_UP_BLANK = ("\t", 0.0, 0.0, 0.0, 0.0)


def without_letter_spacing(chars: list[tuple]) -> list[tuple]:
    """``chars`` with each space pdfium made up kept as a word break, or dropped where it is letter spacing.

    HTML printers set a letter-spaced label ("I N V O I C E", CSS
    ``letter-spacing``) glyph by glyph, without space glyphs; pdfium then
    makes up a space at some of the even gaps ("In vo ice numbe r"), and
    the label no longer reads.  A made-up space whose gap is no wider than
    the gaps of the glyph pairs beside it, while those are themselves apart
    (tracking, not a tight font's abutting boxes), is not a word break: the
    word break of such print is wider by a space's advance.
    """
    kept = []
    for index, char in enumerate(chars):
        if char is not _MADE_UP_BLANK:
            kept.append(char)
        elif not _tracking_gap(chars, index):
            kept.append(_BLANK)
    return kept


def _tracking_gap(chars: list[tuple], index: int) -> bool:
    """Whether the made-up space ``chars[index]`` lies between two glyphs set apart only by the run's tracking."""
    before, after = _glyph_near(chars, index, -1), _glyph_near(chars, index, 1)
    if before is None or after is None:
        return False
    height = max(before[4] - before[2], after[4] - after[2], 1e-6)
    gap = after[1] - before[3]
    neighbours = [
        pair[1][1] - pair[0][3]
        for pair in ((_glyph_near(chars, index - 1, -1), before), (after, _glyph_near(chars, index + 1, 1)))
        if pair[0] is not None and pair[1] is not None and _same_line(*pair)
    ]
    if not neighbours or not _same_line(before, after):
        return False
    tracking = min(neighbours)
    return tracking > _TRACKING_MIN * height and gap < tracking + _TRACKING_SLACK * height


def _glyph_near(chars: list[tuple], index: int, step: int) -> tuple | None:
    """The glyph right before (``step`` -1) or after (+1) ``chars[index]``, past at most one made-up space."""
    index += step
    if 0 <= index < len(chars) and chars[index] is _MADE_UP_BLANK:
        index += step
    if 0 <= index < len(chars) and chars[index][0].strip():
        return chars[index]
    return None


def _same_line(left: tuple, right: tuple) -> bool:
    """Whether glyph ``right`` follows glyph ``left`` on its line (drawn after it, further right, level with it)."""
    height = max(left[4] - left[2], 1e-6)
    return right[1] >= left[1] and abs(right[2] - left[2]) < 0.3 * height


# Directions of text turned a quarter: reading up the page, reading down it (pdfium's angles, clockwise).
UP, DOWN = "up", "down"
_QUARTER_TOLERANCE = 0.1  # radians


def _quarter_turn(angle: float) -> str | None:
    """``UP`` or ``DOWN`` for a character turned a quarter, None for upright text (or no angle known)."""
    if angle < 0:
        return None
    if abs(angle - 3 * math.pi / 2) < _QUARTER_TOLERANCE:
        return UP
    if abs(angle - math.pi / 2) < _QUARTER_TOLERANCE:
        return DOWN
    return None


# How far below the page's own text the sideways lines are placed, in points: beyond a label's reach.
SIDEWAYS_GAP = 72.0


def sideways_words(up, down, width: float, height: float, page: int) -> list[Word]:
    """Words of characters printed up (``up``) or down (``down``) the page, as lines of their own below the page.

    ``up`` and ``down``: ``(text, x0, top, x1, bottom)`` characters in the
    order the PDF draws them, boxes on the page, top down.  Each is turned
    into its reading frame (along the line left to right, lines top to
    bottom: for text reading up, the leftmost line first) and the lines are
    placed under the page (tops from ``height + SIDEWAYS_GAP``, the text
    read up before the text read down): the reader sees them as a block of
    their own after the page's text, never interleaved with its lines.
    Their boxes are thus in that frame, not on the page (``page_box`` turns
    them back).
    """
    words = []
    below, band = height + SIDEWAYS_GAP, _band(width, height)
    frames = (
        (up, lambda x0, top, x1, bottom: (height - bottom, below + x0, height - top, below + x1)),
        (down, lambda x0, top, x1, bottom: (top, below + band + (band - x1), bottom, below + band + (band - x0))),
    )
    for chars, turn in frames:
        if chars:
            framed = ((text, *turn(*box)) if box[2] > box[0] else (text, *box) for text, *box in chars)
            words.extend(words_from_characters(framed, page))
    return words


def page_box(word: Word, width: float, height: float) -> tuple[float, float, float, float]:
    """``(x0, top, x1, bottom)`` of ``word`` on its page of that size: a sideways word's box turned back.

    For whoever shows where a value was read: ``sideways_words`` places
    text printed up or down the margin below the page, in its reading frame.
    """
    below, band = height + SIDEWAYS_GAP, _band(width, height)
    if word.top < below:
        return word.x0, word.top, word.x1, word.bottom
    if word.top < below + band:  # read up the page
        return word.top - below, height - word.x1, word.bottom - below, height - word.x0
    return 2 * band - (word.bottom - below), word.x0, 2 * band - (word.top - below), word.x1


def _band(width: float, height: float) -> float:
    """The depth of each sideways block: a page turned by its /Rotate has its words' x up to its height."""
    return max(width, height)


def plumber_page_words(page, number: int) -> list[Word]:
    """The words of a pdfplumber page from pdfminer's characters (its Unicode maps differ from pdfium's).

    Characters turned a quarter become lines of their own, as for pdfium (``sideways_words``).
    """
    upright, turned = [], {UP: [], DOWN: []}
    for ch in page.chars:
        char = (ch["text"], ch["x0"], ch["top"], ch["x1"], ch["bottom"])
        if ch.get("upright", True):
            upright.append(char)
            continue
        # pdfminer's text matrix (a, b, c, d, e, f), y up: b > 0 turns the baseline up the page
        a, b = (ch.get("matrix") or (1, 0))[:2]
        if abs(a) < abs(b):
            turned[UP if b > 0 else DOWN].append(char)
    words = words_from_characters(upright, number)
    return words + sideways_words(turned[UP], turned[DOWN], float(page.width), float(page.height), number)


def same_characters(words: list[Word], text: str, tolerance: float = 0.03) -> bool:
    """Whether ``words`` spell the characters of ``text`` (another reader's text of the page), order aside."""
    mine = Counter(ch for word in words for ch in word.text if not ch.isspace())
    theirs = Counter(ch for ch in text if not ch.isspace())
    total = max(sum(theirs.values()), 1)
    return sum(((mine - theirs) + (theirs - mine)).values()) <= tolerance * total


def tesseract_words(data: dict, page: int, min_confidence: float = 0.0) -> list[Word]:
    """Words from pytesseract's ``image_to_data(..., output_type=DICT)`` of one page image."""
    words = []
    for index, text in enumerate(data.get("text", [])):
        text = str(text).strip()
        if not text:
            continue
        try:
            confidence = float(data["conf"][index])
        except (KeyError, ValueError, TypeError):
            confidence = -1.0
        if 0 <= confidence < min_confidence * 100:
            continue
        left, top = float(data["left"][index]), float(data["top"][index])
        width, height = float(data["width"][index]), float(data["height"][index])
        words.append(Word(text, left, top, left + width, top + height, page, max(confidence, 0.0) / 100))
    return words
