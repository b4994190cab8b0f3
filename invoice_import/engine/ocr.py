"""OCR of scanned PDF pages and image files with tesseract.

Pages are rendered (``pdf.render_page``) or decoded (``images``) within the
pixel cap, prepared (``images.prepare_page``: lighting, skew, print size,
till-roll or page layout), and read by tesseract in a child process bounded
by what is left of the extraction deadline.  The text goes on to the same
template and free-form extractors as a PDF's own text layer.

Reading one page (``recognise``) is three decisions, each taken from the
page itself:

- **which way up**: a page read with next to no confident words is asked
  of tesseract's orientation detection (OSD); when it says the page is
  turned (upside down, or by 90 degrees) the page is turned and read again,
  and the better reading is kept.  OSD needs more letters than a short
  receipt holds: when it is unsure, the page is tried upside down.  A
  page whose words stand taller than wide was read sideways (tesseract
  reads vertical lines well enough to look legible, but parts a till's
  amounts from their labels): it is turned a quarter, OSD's way first, and
  its print measured again;
- **which languages**: a first look at the page's top part (down to a
  blank band across it, about a third of its ink, at half size) is read in
  the first requested language.  When its words are those of other
  requested languages (a German page: "Rechnung", "und", "Betrag") the page
  is read with them first; otherwise in the first language.  The page is
  always read whole: read in parts, tesseract lost a light gray footer.  A
  page the look cannot tell (a logo and an address) is read again when its
  words say so.  Later pages of the same document start with the languages
  the earlier page was read in.  One language at a time is three to four
  times faster than four at once;
- **which layout**: a till roll is read as one column (``--psm 4``), so a
  total's label and its amount stay on one line; other pages with automatic
  page segmentation (``--psm 3``).
"""

from __future__ import annotations

import functools
import math
import os
import re
import statistics
from dataclasses import dataclass

from .errors import ExtractionError
from .images import (
    crop_to_ink,
    lift_shading,
    measure_layout,
    open_image_frames,
    prepare_page,
    scale_to_text_height,
    sides_changed,
    soft_print,
    straighten,
    turn,
)
from .limits import Deadline, Limits

_PAGE_SEPARATOR = "\n\n"
_TESSERACT_MIN_DPI = 70  # below this tesseract ignores the hint and guesses anyway
_MIN_USEFUL_OCR_DPI = 100  # a big page is rendered coarser to fit the pixel cap, but not coarser than this
# Tesseract's OpenMP threads fight each other (and the other Odoo workers) on a small machine: one page took
# 2.4 s with them and 0.7 s without on the 2-core reference box.  pytesseract cannot pass an environment per
# call, so the default is set for the child processes; an explicit OMP_THREAD_LIMIT still wins.
_TESSERACT_ENVIRONMENT_DEFAULTS = {"OMP_THREAD_LIMIT": "1"}
PAGE_LAYOUT_PSM, SINGLE_COLUMN_PSM = 3, 4
# A reading is legible with this many confident words (conf >= _CONFIDENT, 3+ letters), and that share of its
# words; else the page may be turned, and orientation detection is asked.  A turned page reads as
# low-confidence fragments.
_LEGIBLE_WORDS = 8
_CONFIDENT = 70
_LEGIBLE_SHARE = 0.4
_SIDEWAYS_MIN_WORDS = 3
_MIN_ORIENTATION_CONFIDENCE = 1.5  # tesseract's OSD confidence below which its answer is a guess
# Words that say which language a page is in: frequent words of invoices and receipts, in each language
# tesseract may have installed.  A page is read again in a language when at least _LANGUAGE_MIN_HITS of
# its words are here, and at least half as many as the best language's.
_LANGUAGE_WORDS = {
    "eng": "the and of to for invoice total amount date due tax qty quantity price payment number bill "
    "description thank you your order receipt change cash subtotal",
    "deu": "der die das und mit von für rechnung rechnungsnummer datum betrag menge preis summe gesamt "
    "mwst ust zahlbar bis netto brutto bitte lieferung kunde steuernummer zahlung einzelpreis gesamtbetrag "
    "rückgeld kasse bar",
    "fra": "le la les des du et pour facture date montant total tva prix quantité qté échéance paiement "
    "client désignation règlement hors taxes net à payer",
    "nld": "de het een van en voor factuur factuurnummer datum bedrag totaal btw aantal prijs betaling "
    "vervaldatum omschrijving klant te betalen",
    "spa": "el la los las del y para factura fecha importe total iva precio cantidad pago cliente vencimiento",
    "ita": "il la le dei del e per fattura data importo totale iva prezzo quantità pagamento cliente scadenza",
}
_LANGUAGE_MIN_HITS = 3
# The first look: a page's top part, cut at a blank band this far down its ink, at least this many pixels tall.
_FIRST_LOOK_SHARE = (0.25, 0.5)
_FIRST_LOOK_MIN_GAP = 6
_FIRST_LOOK_HALVED_FROM = 1200  # pixels wide: a page this wide (A4 at 150 dpi and more) is looked at half size
_WORD = re.compile(r"[^\W\d_]+")
# A second reading takes print up to this share of a text line thick for print, anything wider for shading
# (see ``read_lifted``): a 28-pixel line's strokes are 2 to 5 pixels, bold ones 7.
_STROKE_LINES = 0.4
_DEFAULT_LINE_HEIGHT = 28
# A lift that moves fewer pixels than this share across the page's threshold (less than one word's ink on an A4
# page at 200 dpi) leaves tesseract the page it read: no second reading (scans of white paper, most of them)
_UNCHANGED_BY_LIFT = 0.0008
# Lost lines (see ``read_lost_lines``): a band of ink rows at least this share of a text line tall, that no word
# read covers, is read again on its own, enlarged to about _LOST_LINE_HEIGHT pixels, at most _MAX_LOST_LINES bands
# a page; words read there with less confidence than _LOST_LINE_CONFIDENT, or without a letter or digit, are noise.
_LOST_LINE_MIN_HEIGHT = 0.5
_LOST_LINE_HEIGHT = 40
_MAX_LOST_LINES = 8
_LOST_LINE_CONFIDENT = 50
SINGLE_LINE_PSM = 7
# Doubtful words (see ``read_doubtful_words``): a word of two letters or digits or more read with less confidence
# than this is read again alone, its box and a margin of half its height around it, at most _MAX_DOUBTFUL_WORDS
# of them a page, from the top of the page down (where a document's number, dates and title are printed).
_DOUBTFUL_CONFIDENCE = 40
_MAX_DOUBTFUL_WORDS = 16


@dataclass
class OcrWord:
    """One word tesseract read: its text, confidence (0-100) and box in pixels of the page it read."""

    text: str
    confidence: float
    left: int
    top: int
    width: int
    height: int
    line: tuple = ()  # tesseract's (page, block, paragraph, line) numbers


class OcrText(str):
    """The text of one page as tesseract read it, and how: a ``str`` for every caller that wants only text.

    ``words`` are the words with their boxes; ``till_roll`` says the page was
    read as a receipt's single column; ``turned`` the degrees (counter-
    clockwise) the page was turned before reading; ``languages`` what it was
    read with; ``steps`` how the image read was made from the prepared page
    (turned over, scaled again: see ``layout.PageFrame``); ``size`` (set by
    ``read_page``) the ``PageFrame`` that maps the boxes onto the page image
    given to it, None when they do not map onto it.
    """

    words: list[OcrWord]
    till_roll: bool
    turned: int
    languages: str

    def __new__(cls, text: str, words=None, till_roll=False, turned=0, languages=""):
        value = super().__new__(cls, text)
        value.words = list(words or [])
        value.till_roll = till_roll
        value.turned = turned
        value.languages = languages
        value.size = None
        value.steps = ()
        value.image = None  # the page image tesseract read (``recognise``), for a second reading
        value.dpi = None
        return value

    def of_same_page(self, first: OcrText) -> OcrText:
        """This reading, made of the page ``first`` read: its turn, steps, size, image and dpi; returns self.

        A second reading (other languages, shading lifted, lost lines added)
        reads the image the first one did, so its words' boxes map onto the
        page as the first's do, and a third reading starts from the same
        image.  One place carries those facts, so no second reading forgets
        one of them.
        """
        self.turned, self.steps, self.size = first.turned, first.steps, first.size
        self.image, self.dpi = first.image, first.dpi
        return self

    @property
    def legible(self) -> bool:
        """Enough words of three letters or more read confidently, and most of them.

        Letters, not digits: upside down, "008" still reads as "800" with
        confidence, while "model" becomes "|apow" at 40%.
        """
        worded = [w for w in self.words if sum(ch.isalpha() for ch in w.text) >= 3]
        confident = sum(1 for w in worded if w.confidence >= _CONFIDENT)
        return confident >= _LEGIBLE_WORDS and confident >= _LEGIBLE_SHARE * len(worded)

    @property
    def score(self) -> float:
        """Confident characters read: what tells the better of two readings of one page."""
        return _confident_characters(self.words)


def ocr_pdf_pages(doc, indexes: list[int], limits: Limits, deadline: Deadline) -> list[str]:
    """Text of the given 0-based pages of an open PDF, rendered at ``limits.ocr_dpi``.

    A page too big for the pixel cap at that resolution (A2 drawings, A0
    plans) is rendered as finely as the cap allows, down to 100 dpi.
    """
    check_ocr_pages(len(indexes), limits)
    languages = available_languages(limits.ocr_languages)
    texts = []
    for index in indexes:
        deadline.check("OCR")
        dpi = fitting_dpi(doc.page_size(index), limits)
        texts.append(read_page(doc.render_page(index, dpi), dpi, languages, limits, deadline))
        languages = next_languages(texts[-1], languages)
    return texts


def check_ocr_pages(count: int, limits: Limits) -> None:
    """Refuses a document with more pages to OCR than ``limits.max_ocr_pages`` before the first is read."""
    if count > limits.max_ocr_pages:
        raise ExtractionError(
            "too_many_pages", f"{count} pages need OCR, over the cap of {limits.max_ocr_pages} pages read by OCR"
        )


def fitting_dpi(page_size: tuple[float, float], limits: Limits) -> int:
    """``limits.ocr_dpi``, or the finest resolution at which a page of ``page_size`` points fits ``max_pixels``."""
    square_inches = page_size[0] * page_size[1] / 72**2
    if not square_inches:
        return limits.ocr_dpi
    finest = math.floor(math.sqrt(limits.max_pixels / square_inches)) - 1  # -1: pixels are rounded up per side
    return min(limits.ocr_dpi, max(finest, _MIN_USEFUL_OCR_DPI))


def ocr_image_bytes(data: bytes, limits: Limits, deadline: Deadline) -> str:
    """Text of a PNG/JPEG/TIFF/... file, every page of a multi-page TIFF in order."""
    return _PAGE_SEPARATOR.join(ocr_image_pages(data, limits, deadline))


def ocr_image_pages(data: bytes, limits: Limits, deadline: Deadline) -> list[OcrText]:
    """Each page of an image file as read by ``recognise`` (a TIFF's frames in order)."""
    texts = []
    languages = None
    for frame, dpi in open_image_frames(data, limits, deadline):
        languages = languages or available_languages(limits.ocr_languages)
        texts.append(read_page(frame, dpi, languages, limits, deadline))
        languages = next_languages(texts[-1], languages)
    return texts


def read_page(image, dpi: float | None, languages: str, limits: Limits, deadline: Deadline) -> OcrText:
    """One rendered or decoded page image prepared (``images.prepare_page``) and read by ``recognise``."""
    from .layout import PageFrame

    page = prepare_page(image, dpi, limits.max_pixels)
    reading = recognise(page.image, languages, deadline, page.dpi, till_roll=page.till_roll)
    # how the words' boxes map back onto the page image, unless the sheet was cut out of a photo
    if page.steps is not None:
        reading.size = PageFrame(image.width, image.height, (*page.steps, *reading.steps))
    return reading


def recognise(page, languages: str, deadline: Deadline, dpi: float | None = None, till_roll: bool = False) -> OcrText:
    """Read one prepared page: the right way up, in its own languages (see the module docstring).

    ``languages`` are the installed languages that may be used, the first
    tried first.  Every tesseract run's timeout is what the deadline has left.
    """
    requested = languages.split("+")
    reading = None if till_roll or len(requested) == 1 else _read_with_first_look(page, requested, deadline, dpi)
    if reading is None:
        reading = _read(page, requested[0], deadline, dpi, till_roll)
    sideways = reads_sideways(reading)
    if not reading.legible or sideways:
        # OSD needs more letters than a short receipt has; unsure, it says 0: upside down is then tried,
        # the way a receipt is most often fed or photographed wrong.  A page read sideways is turned by a
        # quarter, the way OSD says first, the other way when that does not read.
        degrees = detect_orientation(page, deadline, dpi)
        if sideways:
            tries = [degrees, 360 - degrees] if degrees in (90, 270) else [90, 270]
        else:
            tries = [degrees or 180]
        upright, upright_till_roll = page, till_roll
        for degrees in tries:
            turned_page, again, turned_till_roll, steps = _read_turned(
                upright, degrees, requested[0], deadline, upright_till_roll
            )
            # read sideways, a page scores as much as upright, but its till's amounts part from their labels
            if again.score > reading.score or sideways and again.legible:
                page, reading, till_roll, dpi = turned_page, again, turned_till_roll, None
                reading.turned = degrees
                reading.steps = tuple(steps)
            if again.legible:
                break
    others = page_languages(reading, requested[1:], requested[0]) if reading.languages == requested[0] else []
    if others:
        reading = _read(page, "+".join([*others, requested[0]]), deadline, dpi, till_roll).of_same_page(reading)
    reading.image, reading.dpi = page, dpi
    return reading


def read_lifted(reading: OcrText, deadline: Deadline) -> OcrText | None:
    """The page of ``reading`` read again with each area's shading lifted (``images.lift_shading``).

    For a page whose first reading gave values that do not check out: the
    same image (turned, in the languages and the layout the first reading
    found), each area's own paper made white, print thinner than
    ``_STROKE_LINES`` of a text line (the median height of the words read)
    kept.  A gray title or totals cell, which tesseract's threshold for the
    whole page turns to ink with its text, becomes paper.  The words' boxes
    are where the first reading's were.  None when the lift changes next
    to nothing of what a threshold makes of the page (``_UNCHANGED_BY_LIFT``):
    white paper without shaded cells or shadows reads the same again.
    """
    heights = sorted(w.height for w in reading.words if len(_alnum(w.text)) >= 2)
    line_height = heights[len(heights) // 2] if heights else _DEFAULT_LINE_HEIGHT
    lifted = lift_shading(reading.image, round(_STROKE_LINES * max(line_height, 8)))
    if sides_changed(reading.image, lifted) < _UNCHANGED_BY_LIFT:
        return None
    return _read(lifted, reading.languages, deadline, reading.dpi, reading.till_roll).of_same_page(reading)


def read_lost_lines(reading: OcrText, deadline: Deadline) -> OcrText | None:
    """A till roll's reading with the printed lines tesseract skipped read one by one; None when none was found.

    Reading a whole receipt, tesseract drops a line now and then: a date
    and time printed under a dashed rule, a total beside a smudge; the
    line is on the page, in none of its words.  Each band of inked rows
    (``ink_bands``) that no word read overlaps is cut out with a margin,
    enlarged to a readable height and read as one line (``--psm 7``); its
    confident words join the page's, and the rows are put together again
    (``rows_text``).  Only till rolls: a page's text keeps tesseract's own
    line order, which a line put back would not fit.
    """
    if not reading.till_roll or reading.image is None:
        return None
    heights = sorted(w.height for w in reading.words if len(_alnum(w.text)) >= 2)
    line_height = heights[len(heights) // 2] if heights else _DEFAULT_LINE_HEIGHT
    covered = [(w.top, w.top + w.height) for w in reading.words if _alnum(w.text)]
    lost = [
        (top, bottom)
        for top, bottom in ink_bands(reading.image)
        if bottom - top >= _LOST_LINE_MIN_HEIGHT * line_height
        and not any(low < bottom and top < high for low, high in covered)
    ][:_MAX_LOST_LINES]
    areas = []
    for number, (top, bottom) in enumerate(lost):
        margin = max(2, (bottom - top) // 3)
        box = (0, max(0, top - margin), reading.image.width, min(reading.image.height, bottom + margin))
        areas.append((box, bottom - top, ("lost", number)))
    found = [word for words in _read_areas(reading, areas, deadline) for word in words]
    if not found:
        return None
    words = [*reading.words, *found]
    return OcrText(rows_text(words), words, True, languages=reading.languages).of_same_page(reading)


def read_doubtful_words(reading: OcrText, deadline: Deadline) -> OcrText | None:
    """The page's reading with each word tesseract was unsure of read again alone; None when none read better.

    Tesseract thresholds a page once for all of it: a word in a light gray
    cell, a title's number beside a logo, print broken by the scan's noise
    comes out as letter scraps with low confidence ("RVING" for "AVOIR N°:",
    "EEE)" for the number beside it).  Cut out with a margin, a word gets a
    threshold of its own, and tesseract reads it as one line (``--psm 7``).
    Each word under ``_DOUBTFUL_CONFIDENCE`` (at most ``_MAX_DOUBTFUL_WORDS``
    a page, top down) is replaced by the confident words read in its place
    when they hold more confident characters (``OcrText.score``'s measure)
    than it did; they keep its line, so the page's text keeps tesseract's
    order.  A few small images instead of the whole page read again.
    """
    if reading.image is None:
        return None
    doubtful = [w for w in reading.words if w.confidence < _DOUBTFUL_CONFIDENCE and len(_alnum(w.text)) >= 2]
    doubtful = sorted(doubtful, key=lambda w: (w.top, w.left))[:_MAX_DOUBTFUL_WORDS]
    areas = []
    for word in doubtful:
        margin = max(2, word.height // 2)
        box = (
            max(0, word.left - margin),
            max(0, word.top - margin),
            min(reading.image.width, word.left + word.width + margin),
            min(reading.image.height, word.top + word.height + margin),
        )
        areas.append((box, word.height, word.line))
    replaced = {}
    for word, alone in zip(doubtful, _read_areas(reading, areas, deadline), strict=True):
        if _confident_characters(alone) > _confident_characters([word]):
            replaced[id(word)] = alone
    if not replaced:
        return None
    words = [new for word in reading.words for new in replaced.get(id(word), [word])]
    return OcrText(
        page_text(words, reading.till_roll), words, reading.till_roll, languages=reading.languages
    ).of_same_page(reading)


def _read_areas(reading: OcrText, areas: list[tuple], deadline: Deadline) -> list[list[OcrWord]]:
    """The confident words of each area of a reading's page, each read alone as a line, in the page's pixels.

    ``areas``: (box: left, top, right, bottom; print height; the ``line`` its
    words are given).  Each area is enlarged until its print is about
    ``_LOST_LINE_HEIGHT`` tall (at most three times); words read with less
    confidence than ``_LOST_LINE_CONFIDENT``, or without a letter or digit,
    are noise.  All areas go to one tesseract run, a page each
    (``_read_lines``): starting tesseract and loading its models costs more
    than reading a word, and sixteen runs for sixteen words cost a page
    about four seconds.
    """
    images, factors = [], []
    for box, print_height, _line in areas:
        area = reading.image.crop(box)
        factor = max(1.0, min(3.0, _LOST_LINE_HEIGHT / max(1, print_height)))
        if factor > 1:
            area = area.resize((round(area.width * factor), round(area.height * factor)))
        images.append(area)
        factors.append(factor)
    found = []
    for (box, _height, line), factor, words in zip(
        areas, factors, _read_lines(images, reading.languages, deadline), strict=True
    ):
        kept = []
        for word in words:
            if word.confidence < _LOST_LINE_CONFIDENT or not _alnum(word.text):
                continue
            word.left, word.width = round(word.left / factor) + box[0], max(1, round(word.width / factor))
            word.top, word.height = round(word.top / factor) + box[1], max(1, round(word.height / factor))
            word.line = line
            kept.append(word)
        found.append(kept)
    return found


def _confident_characters(words: list[OcrWord]) -> float:
    """Letters and digits read, each weighed by tesseract's confidence, of words read with 50% or more."""
    return sum(len(_alnum(w.text)) * w.confidence / 100 for w in words if w.confidence >= 50)


def ink_bands(page) -> list[tuple[int, int]]:
    """(top, bottom) of each run of rows holding ink across a page: its printed lines, rules and smudges.

    A row holds ink when more than a few of its pixels are darker than the
    page's threshold (``otsu_threshold``).

    >>> from PIL import Image
    >>> page = Image.new("L", (200, 100), 255); page.paste(0, (10, 20, 150, 32)); page.paste(0, (10, 60, 90, 70))
    >>> ink_bands(page)
    [(20, 32), (60, 70)]
    """
    import numpy as np

    from .images import otsu_threshold

    pixels = np.asarray(page)
    inked = (pixels <= min(otsu_threshold(page), 200)).sum(axis=1) > max(2, page.width // 200)
    edges = np.flatnonzero(np.diff(np.concatenate(([0], inked.astype(np.int8), [0]))))
    return [(int(top), int(bottom)) for top, bottom in zip(edges[::2], edges[1::2], strict=True)]


def _read_turned(page, degrees: int, language: str, deadline: Deadline, till_roll: bool):
    """(page, reading, till_roll, steps): the page turned by ``degrees`` and read again.

    A quarter turn puts the print's height where its width was measured:
    the page is levelled again (its skew was measured across lines that ran
    down the page, which says nothing of their slope: photos read sideways
    kept a tilt of one to two degrees), measured again, cut to its ink when
    it is a till roll, and scaled to the height tesseract reads best.
    """
    turned_page = turn(page, degrees)
    steps = [("turn", degrees, page.size)]
    if degrees in (90, 270):
        turned_page = straighten(turned_page, steps=steps)
        layout = measure_layout(turned_page)
        till_roll = layout.till_roll
        if till_roll:
            turned_page = crop_to_ink(turned_page, layout, steps)
        size = turned_page.size
        soft = till_roll and soft_print(turned_page)
        turned_page, _factor = scale_to_text_height(turned_page, layout.text_height, soft=soft)
        if turned_page.size != size:
            steps.append(("scale", turned_page.width / size[0], turned_page.height / size[1]))
    return turned_page, _read(turned_page, language, deadline, None, till_roll), till_roll, steps


def reads_sideways(reading: OcrText) -> bool:
    """Most words of three characters or more stand taller than wide: the page's lines run down it.

    Tesseract finds vertical text lines and reads some of them, often enough
    to look legible, far worse than the page turned upright.
    """
    worded = [w for w in reading.words if len(_alnum(w.text)) >= 3]
    tall = sum(1 for w in worded if w.height > w.width)
    return len(worded) >= _SIDEWAYS_MIN_WORDS and tall > 0.5 * len(worded)


def next_languages(reading: OcrText, languages: str) -> str:
    """The languages for a document's next page: those its last page was read in first, then the others."""
    first = [lang for lang in reading.languages.split("+") if lang]
    return "+".join([*first, *(lang for lang in languages.split("+") if lang not in first)])


def _read_with_first_look(page, requested: list[str], deadline: Deadline, dpi: float | None) -> OcrText | None:
    """The whole page read in its own languages when a first look at its top part finds them; else None.

    The look reads the top part, at half size, in the first language: a
    small share of a page's reading.  The page itself is always read whole,
    so tesseract finds its lines and its light print on the whole page.
    """
    cut = first_look_cut(page)
    if cut is None:
        return None
    top = page.crop((0, 0, page.width, cut))
    if top.width >= _FIRST_LOOK_HALVED_FROM:
        top, dpi_look = top.reduce(2), dpi / 2 if dpi else None
    else:
        dpi_look = dpi
    look = _read(top, requested[0], deadline, dpi_look, False)
    others = page_languages(look, requested[1:], requested[0])
    if not others:
        return None
    return _read(page, "+".join([*others, requested[0]]), deadline, dpi, False)


def first_look_cut(page, share: tuple[float, float] = _FIRST_LOOK_SHARE) -> int | None:
    """The row to cut a page's first look at: the middle of the tallest blank band across the page.

    Only bands between ``share`` of the way down its ink count, and at least
    ``_FIRST_LOOK_MIN_GAP`` pixels tall: no printed line is cut, and tesseract
    finds its lines in each part as on the whole page.  None when there is
    no such band (a page of one block, a photo of a receipt).
    """
    import numpy as np

    from .images import otsu_threshold

    pixels = np.asarray(page)
    inked = (pixels <= min(otsu_threshold(page), 200)).sum(axis=1) > max(1, page.width // 500)
    rows = np.flatnonzero(inked)
    if len(rows) < 2:
        return None
    low = rows[0] + share[0] * (rows[-1] - rows[0])
    high = rows[0] + share[1] * (rows[-1] - rows[0])
    best, best_height = None, _FIRST_LOOK_MIN_GAP - 1
    for above, below in zip(rows[:-1], rows[1:], strict=True):
        middle = (above + below) // 2
        if below - above - 1 > best_height and low <= middle <= high:
            best, best_height = int(middle), int(below - above - 1)
    return best


def layout_words(reading: OcrText, page: int) -> list:
    """The words of one OCR reading as the layout reader's ``layout.Word`` (pixels, confidence 0..1)."""
    from .layout import Word

    return [
        Word(w.text, w.left, w.top, w.left + w.width, w.top + w.height, page, max(w.confidence, 0.0) / 100)
        for w in reading.words
    ]


def page_languages(text: str, candidates: list[str], first: str) -> list[str]:
    """The ``candidates`` a page's words are written in, most words first ([] when it is all ``first``)."""
    words = [w.lower() for w in _WORD.findall(text)]
    own = set(_LANGUAGE_WORDS.get(first, "").split())
    hits = {first: sum(1 for w in words if w in own)}
    for language in candidates:
        vocabulary = set(_LANGUAGE_WORDS.get(language, "").split()) - own  # "total", "date": no clue
        hits[language] = sum(1 for w in words if w in vocabulary)
    best = max(hits.values(), default=0)
    chosen = [lang for lang in candidates if hits[lang] >= _LANGUAGE_MIN_HITS and hits[lang] * 2 >= best]
    return sorted(chosen, key=lambda lang: -hits[lang])


def detect_orientation(page, deadline: Deadline, dpi: float | None = None) -> int:
    """Degrees (counter-clockwise: 0, 90, 180, 270) that turn the page upright; 0 when unsure or no text.

    Tesseract's orientation and script detection (``--psm 0``, the ``osd``
    data); without it installed, or on a page with too few letters, 0.
    """
    import pytesseract

    if "osd" not in _installed_languages():
        return 0
    config = "--psm 0"
    if dpi and dpi >= _TESSERACT_MIN_DPI:
        config += f" --dpi {round(dpi)}"
    try:
        found = _call_tesseract(
            lambda remaining: pytesseract.image_to_osd(
                page, config=config, output_type=pytesseract.Output.DICT, timeout=remaining
            ),
            deadline,
        )
    except ExtractionError as exc:
        if exc.code == "timeout":
            raise
        return 0  # "Too few characters": nothing to turn
    if float(found.get("orientation_conf", 0)) < _MIN_ORIENTATION_CONFIDENCE:
        return 0
    # OSD's "rotate" is the clockwise turn that makes the page upright
    return (360 - int(found.get("rotate", 0))) % 360


def _read(
    page, languages: str, deadline: Deadline, dpi: float | None, till_roll: bool, psm: int | None = None
) -> OcrText:
    """One tesseract run: the words with their boxes, and the text in tesseract's own line order."""
    import pytesseract

    psm = psm or (SINGLE_COLUMN_PSM if till_roll else PAGE_LAYOUT_PSM)
    config = f"--psm {psm} --dpi {round(dpi)}" if dpi and dpi >= _TESSERACT_MIN_DPI else f"--psm {psm}"
    data = _call_tesseract(
        lambda remaining: pytesseract.image_to_data(
            page, lang=languages, config=config, output_type=pytesseract.Output.DICT, timeout=remaining
        ),
        deadline,
    )
    words = _words(data)
    return OcrText(page_text(words, till_roll), words, till_roll, 0, languages)


def _words(data: dict) -> list[OcrWord]:
    """The words of tesseract's ``image_to_data`` answer, each on its (page, block, paragraph, line)."""
    words = []
    for i, text in enumerate(data.get("text", [])):
        text = (text or "").strip()
        if not text:
            continue
        line = (data["page_num"][i], data["block_num"][i], data["par_num"][i], data["line_num"][i])
        word = OcrWord(
            text,
            float(data["conf"][i]),
            int(data["left"][i]),
            int(data["top"][i]),
            int(data["width"][i]),
            int(data["height"][i]),
            line,
        )
        words.append(word)
    return words


def _read_lines(images: list, languages: str, deadline: Deadline) -> list[list[OcrWord]]:
    """Each image's words read as one line (``--psm 7``), all in one tesseract run: a page each.

    Tesseract reads the images listed in a text file as the pages of one
    document, each on its own (its LSTM models learn nothing from one page
    for the next), so a word reads as it would in a run of its own.  One
    image is read as it is.
    """
    if len(images) <= 1:
        return [_read(image, languages, deadline, None, False, psm=SINGLE_LINE_PSM).words for image in images]
    import tempfile

    import pytesseract

    with tempfile.TemporaryDirectory(prefix="ocr-lines-") as folder:
        names = []
        for number, image in enumerate(images):
            names.append(os.path.join(folder, f"{number}.png"))
            image.save(names[-1], format="PNG")
        listing = os.path.join(folder, "images.txt")
        with open(listing, "w", encoding="utf-8") as out:
            out.write("\n".join(names) + "\n")
        data = _call_tesseract(
            lambda remaining: pytesseract.image_to_data(
                listing,
                lang=languages,
                config=f"--psm {SINGLE_LINE_PSM}",
                output_type=pytesseract.Output.DICT,
                timeout=remaining,
            ),
            deadline,
        )
    pages = [[] for _ in images]
    for word in _words(data):
        if 1 <= word.line[0] <= len(images):
            pages[word.line[0] - 1].append(word)
    return pages


def page_text(words: list[OcrWord], till_roll: bool) -> str:
    """A reading's text: a till roll's words in the rows they stand in (``rows_text``), a page's in tesseract's
    lines and paragraphs (``lines_text``)."""
    return rows_text(words) if till_roll else lines_text(words)


def lines_text(words: list[OcrWord]) -> str:
    """Tesseract's text of a page: its words in its order, a line each, a blank line between its paragraphs."""
    lines, last_block, last_line = [], None, None
    for word in words:
        block = word.line[:3]
        if word.line != last_line:
            if last_block is not None and block != last_block:
                lines.append("")
            lines.append(word.text)
        else:
            lines[-1] += " " + word.text
        last_block, last_line = block, word.line
    return "\n".join(lines) + ("\n" if lines else "")


def rows_text(words: list[OcrWord]) -> str:
    """Tesseract's lines put together into printed rows, left to right: what a till roll's lines are.

    Tesseract may put a right-aligned column of amounts in a block of its
    own, even reading a page as one column, which parts "TOTAL" from its
    "44.45".  Two of its lines side by side, their middles less than half a
    line height apart, are one row.  Heights and middles are the medians of
    the words', so a smudge read as one tall word does not swallow its
    neighbours.
    """
    lines: dict[tuple, list[OcrWord]] = {}
    for word in words:
        lines.setdefault(word.line, []).append(word)
    pieces = []
    for members in lines.values():
        middle = statistics.median(w.top + w.height / 2 for w in members)
        height = statistics.median(w.height for w in members)
        left, right = min(w.left for w in members), max(w.left + w.width for w in members)
        pieces.append((middle, height, left, right, " ".join(w.text for w in members)))
    rows: list[list[tuple]] = []
    for piece in sorted(pieces):
        row = rows[-1] if rows else None
        if row and abs(piece[0] - row[0][0]) < 0.5 * min(piece[1], row[0][1]) and _apart(piece, row):
            row.append(piece)
        else:
            rows.append([piece])
    return "".join(" ".join(p[4] for p in sorted(row, key=lambda p: p[2])) + "\n" for row in rows)


def _apart(piece: tuple, row: list[tuple]) -> bool:
    """The piece does not overlap any piece of the row left to right: another column of the same row."""
    return all(piece[3] <= other[2] or piece[2] >= other[3] for other in row)


def _call_tesseract(run, deadline: Deadline):
    """``run(timeout)`` with what the deadline has left, tesseract's failures as ExtractionErrors."""
    import pytesseract

    remaining = deadline.remaining()
    if remaining <= 0:
        deadline.check("OCR")
    for name, value in _TESSERACT_ENVIRONMENT_DEFAULTS.items():
        os.environ.setdefault(name, value)
    try:
        return run(remaining)
    except pytesseract.TesseractNotFoundError as exc:
        raise _unavailable("tesseract is not installed") from exc
    except pytesseract.TesseractError as exc:
        if "image too large" in str(exc.message).lower():
            raise ExtractionError("image_too_large", f"the page is too large for tesseract: {exc.message}") from exc
        raise _unavailable(f"tesseract failed: {exc.message}") from exc
    except RuntimeError as exc:  # pytesseract's way of saying it killed tesseract at the timeout
        if "timeout" not in str(exc).lower():
            raise
        raise ExtractionError("timeout", f"OCR exceeded the {deadline.seconds:g} s time cap") from exc


def _alnum(text: str) -> str:
    return "".join(ch for ch in text if ch.isalnum())


def available_languages(requested: str) -> str:
    """The requested tesseract languages ("eng+deu") that are installed; none installed is an error."""
    installed = _installed_languages()
    usable = [lang for lang in requested.split("+") if lang in installed]
    if not usable:
        raise _unavailable(
            f"none of the OCR languages {requested} is installed (installed: {', '.join(sorted(installed)) or 'none'})"
        )
    return "+".join(usable)


@functools.cache
def _installed_languages() -> frozenset[str]:
    import pytesseract

    try:
        return frozenset(pytesseract.get_languages(config=""))
    except pytesseract.TesseractNotFoundError as exc:
        raise _unavailable("tesseract is not installed (Debian: apt install tesseract-ocr)") from exc


def _unavailable(message: str) -> ExtractionError:
    return ExtractionError("ocr_unavailable", message)
