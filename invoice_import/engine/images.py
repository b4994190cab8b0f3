"""Untrusted raster images in, clean black-on-white pages for OCR out.

Decoding is where an image attacks: a 30 KB PNG can declare 2.5 billion
pixels.  Pillow's ``Image.open`` only reads the header, so the pixel count
is checked there, for every frame of a multi-page TIFF, before any frame is
decoded.  Cleaning (grayscale from the darkest colour channel, a sheet
photographed at an angle flattened, even lighting, contrast, deskew,
denoise, text brought to the height tesseract reads best) is what lets
tesseract read phone photos, crooked scans and the small print of till
rolls.  Each step is a function of its own, in ``prepare_page``'s order.

What a page looks like is measured once (``measure_layout``: where the ink
is, how tall its text lines are) and decides the rest: a receipt photographed
on a big sheet is cut to its ink, 7-pixel print is enlarged, a 600 dpi scan
without a resolution tag is reduced, and a narrow page of short lines is read
by tesseract as one column (``PreparedPage.till_roll``).
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageFilter, ImageOps

from .errors import ExtractionError
from .limits import Deadline, Limits
from .sniff import is_heif

# The formats suppliers send; Pillow's other plugins (and their bugs) are never reached.
ACCEPTED_FORMATS = ("PNG", "JPEG", "TIFF", "GIF", "BMP", "WEBP")
HEIF_FORMAT = "HEIF"  # iPhone photos; read when the pillow-heif decoder is installed
MAX_SKEW_DEGREES = 5.0
_SKEW_SAMPLE_SIDE = 1000  # the skew search runs on a copy this large: 0.1 degree is still ~2 pixels
_OCR_MAX_DPI = 400  # finer scans are scaled down to 300 dpi: tesseract gains nothing and runs far slower
_OCR_TARGET_DPI = 300
# Longest side over shortest side.  A till receipt scanned at 200 dpi is about 1:20; a 1,000,000 x 1 "page" passes
# the pixel cap and makes the deskew ask for 94 GB.
MAX_ASPECT_RATIO = 50
_OCR_MAX_SIDE = 3508  # an A4 page's long side at 300 dpi: larger images are reduced before anything else


def open_image_frames(data: bytes, limits: Limits, deadline: Deadline) -> Iterator[tuple[Image.Image, float | None]]:
    """Decode each frame (page) of an image file as (image, dpi or None), within the caps."""
    formats = ACCEPTED_FORMATS
    if is_heif(data):
        if not heif_available():
            raise ExtractionError(
                "unsupported_file", "the file is a HEIC/HEIF photo and no HEIF decoder (pillow-heif) is installed"
            )
        formats = (HEIF_FORMAT,)
    try:
        image = Image.open(io.BytesIO(data), formats=formats)
    except Image.DecompressionBombError as exc:
        raise ExtractionError("image_too_large", f"the image has more pixels than allowed: {exc}") from exc
    except MemoryError:
        raise  # not the file's defect: the reader's memory limit (extract.py reports it)
    except Exception as exc:  # UnidentifiedImageError, or a header a plugin chokes on
        raise ExtractionError("corrupt_image", f"the image cannot be decoded: {exc}") from exc
    with image:
        frame_count = _frame_count(image)
        cap = min(limits.max_pages, limits.max_ocr_pages)
        if frame_count > cap:
            raise ExtractionError(
                "too_many_pages", f"the image has {frame_count} pages, over the cap of {cap} pages read by OCR"
            )
        for index in range(frame_count):
            deadline.check("decoding the image")
            yield _decoded_frame(image, index, limits)


def _frame_count(image: Image.Image) -> int:
    try:
        return getattr(image, "n_frames", 1)
    except MemoryError:
        raise  # not the file's defect: the reader's memory limit (extract.py reports it)
    except Exception as exc:  # a broken chain of TIFF directories
        raise ExtractionError("corrupt_image", f"the image pages cannot be listed: {exc}") from exc


def _decoded_frame(image: Image.Image, index: int, limits: Limits) -> tuple[Image.Image, float | None]:
    try:
        image.seek(index)
    except MemoryError:
        raise
    except Exception as exc:
        raise ExtractionError("corrupt_image", f"page {index + 1} of the image cannot be read: {exc}") from exc
    check_size(image.size, limits.max_pixels, f"page {index + 1} of the image")
    try:
        frame = ImageOps.exif_transpose(image.copy())  # copy() decodes; phone photos carry their rotation in EXIF
    except MemoryError:
        raise  # not the file's defect: the reader's memory limit (extract.py reports it)
    except Exception as exc:  # zlib, struct, truncation, broken chunks: Pillow raises all sorts
        raise ExtractionError("corrupt_image", f"the image cannot be decoded: {exc}") from exc
    dpi = image.info.get("dpi")
    return frame, float(dpi[0]) if dpi and dpi[0] else None


def check_size(size: tuple[int, int], max_pixels: int, what: str = "the image") -> None:
    """Refuse a size over the pixel cap or of an absurd shape (``image_too_large``), before anything is allocated."""
    width, height = size
    if width * height > max_pixels:
        raise ExtractionError(
            "image_too_large", f"{what} is {width} x {height} = {width * height} pixels, over the cap of {max_pixels}"
        )
    if max(width, height) > MAX_ASPECT_RATIO * max(min(width, height), 1):
        raise ExtractionError(
            "image_too_large",
            f"{what} is {width} x {height} pixels, a shape no document has (sides over {MAX_ASPECT_RATIO}:1)",
        )


@functools.cache
def heif_available() -> bool:
    """Register the pillow-heif decoder with Pillow once; False when it is not installed."""
    try:
        import pillow_heif
    except ImportError:
        return False
    pillow_heif.register_heif_opener()
    return True


# ----------------------------------------------------------------------------- preparing a page for OCR

# Tesseract's recogniser reads text lines best when they are about this tall (ascender to descender, pixels):
# receipts photographed at 7-pixel print were read as garbage, enlarged 2-3x they read cleanly, and 600 dpi
# scans without a resolution tag spend four times the OCR time for nothing.  An A4 invoice at 200 dpi
# measures 19 to 25 and is left alone.
_TEXT_HEIGHT_TARGET = 28
_TEXT_HEIGHT_OK = (18, 56)  # inside this range the page is left at its size
_MAX_ENLARGEMENT = 3.0
# A page that is not a till roll is enlarged only when its print is tinier than this: invoices scanned at 200 dpi
# measure 14 to 25, and enlarging their 14 to 16 pixel print lost invoice numbers and dates on simulated scans
# (tesseract read dust and shading as text).
_PAGE_ENLARGE_BELOW = 12
_SMALLEST_PRINT_POINTS = 4.5  # text lines measured smaller than this at a page's known dpi are not believed
_HALVED_MEASURE_PIXELS = 2_000_000  # larger pages are measured at half size
# A page whose inked width holds at most this many characters (at the text height measured) is a till roll
# (receipts measured 48 to 74, A4 invoices over 100):
# one column of short lines that tesseract must read as one column, or it splits labels from their amounts.
TILL_ROLL_MAX_CHARACTERS = 80
# Till rolls are softened rather than median-filtered: the dots of dot-matrix print are separate specks that
# tesseract took for noise (a whole shop header dropped); a slight blur joins them into strokes.
_TILL_ROLL_BLUR = 1.5
# Print whose edges climb less than this share of the page's contrast in one pixel is soft (see ``edge_sharpness``).
_SOFT_EDGES = 0.6
_CHARACTER_WIDTH = 0.5  # average glyph advance as a share of the text line height (monospace till fonts ~0.55)
_INK_MASS_TRIM = 0.004  # share of the ink ignored at each edge when finding the inked box: dust, staple marks
_CROP_MARGIN_LINES = 2.0
# Stray ink (see ``_print_cluster``): a column or row with fewer ink pixels than this share of its length is blank;
# clusters parted by blank bands this share of the page wide, this many pixels across or holding less than this
# share of the ink, are dropped.
_SPECK_SHARE = 0.002
_STRAY_GAP = 0.05
_STRAY_EXTENT = 5
_STRAY_MASS = 0.005  # text line heights of margin kept around a till roll's ink
# Lighting: a page whose paper ranges over more gray levels than this (5th to 95th percentile) is lit unevenly.
_UNEVEN_PAPER_LEVELS = 40
# Paper whose typical level (the median of its local brightest levels) is under this is gray, not white: photographed.
_WHITE_PAPER = 235
# A sheet photographed on a table: found on a copy this large, when the surround covers more than this share
# of the image's edge and the sheet between these shares of the image.
_PAPER_SAMPLE_SIDE = 500
_PAPER_EDGE_SHARE = 0.4
_PAPER_AREA = (0.15, 0.9)
_DARKEST_PAPER = 110.0
# A surround (a dark table, a scanner's lid, the black of a torn edge) is ink darker than this reached in a straight
# line from the image's edge.  It is whitened only when it moves the page's threshold by this many gray levels:
# SROIE receipts whose surround moved it 2 to 8 levels read no better whitened (3 fields lost, 1 won: print at
# the edge cut, the skew measured otherwise), those moved 20 to 85 levels read their light print again.  More than
# _SURROUND_MAX_SHARE of the image is a dark page, not a surround.
_SURROUND_LEVEL = 64
_SURROUND_THRESHOLD_SHIFT = 10
_SURROUND_MAX_SHARE = 0.5


@dataclass
class PageLayout:
    """Where a page's ink is and how big its print: measured on a deskewed gray page.

    ``ink_box`` is (left, top, right, bottom) in pixels or None for a blank
    page; ``text_height`` the median height of its text lines in pixels, or
    None when fewer than three lines were found.
    """

    size: tuple[int, int]
    ink_box: tuple[int, int, int, int] | None
    text_height: float | None

    @property
    def characters_per_line(self) -> float | None:
        if self.ink_box is None or not self.text_height:
            return None
        return (self.ink_box[2] - self.ink_box[0]) / (self.text_height * _CHARACTER_WIDTH)

    @property
    def till_roll(self) -> bool:
        """Short lines in one narrow column: a shop receipt, read by tesseract as a single column."""
        characters = self.characters_per_line
        return characters is not None and characters <= TILL_ROLL_MAX_CHARACTERS


@dataclass
class PreparedPage:
    """A page ready for tesseract: gray, level, lit evenly, print at a readable size.

    ``dpi`` is the resolution after any scaling (None when unknown);
    ``till_roll`` says to read it as one column (see ``PageLayout``);
    ``steps`` how the image was made from the page as it came, for
    ``layout.PageFrame`` (scaled, levelled, a receipt cut out), None when its
    pixels no longer map onto the page (a photographed sheet flattened).
    """

    image: Image.Image
    dpi: float | None
    till_roll: bool = False
    steps: tuple | None = ()


def prepare_for_ocr(
    image: Image.Image, dpi: float | None, max_pixels: int | None = None
) -> tuple[Image.Image, float | None]:
    """``prepare_page`` for callers that want only the page and its dpi."""
    page = prepare_page(image, dpi, max_pixels)
    return page.image, page.dpi


def prepare_page(image: Image.Image, dpi: float | None, max_pixels: int | None = None) -> PreparedPage:
    """Everything done to a page before tesseract reads it, in order; see the module docstring.

    ``max_pixels`` (default ``Limits().max_pixels``) caps the page as it
    comes, after each step that can grow it, and any enlargement; a page of
    an absurd shape is refused (``check_size``).
    """
    max_pixels = max_pixels or Limits().max_pixels
    check_size(image.size, max_pixels, "the page")
    steps = []
    came = image.size
    if dpi and dpi > _OCR_MAX_DPI:
        factor = _OCR_TARGET_DPI / dpi
        image = image.resize((max(1, round(image.width * factor)), max(1, round(image.height * factor))))
        dpi = _OCR_TARGET_DPI
    elif max(image.size) > _OCR_MAX_SIDE:  # a 600 dpi scan or a 48 Mpx photo without a resolution tag
        factor = _OCR_MAX_SIDE / max(image.size)
        image = image.resize((max(1, round(image.width * factor)), max(1, round(image.height * factor))))
        dpi = dpi * factor if dpi else None
    if image.size != came:
        steps.append(("scale", image.width / came[0], image.height / came[1]))
    gray = to_grayscale(image, darkest_channel=True)
    flat = flatten_perspective(gray)
    flattened, gray = flat is not gray, flat
    if not flattened:
        gray = whiten_surround(gray)
    gray = straighten(stretch_contrast(even_lighting(gray)), max_pixels, steps)
    layout = measure_layout(gray)
    if layout.till_roll:
        gray = crop_to_ink(gray, layout, steps)
    text_height = layout.text_height
    if text_height and dpi and text_height < dpi * _SMALLEST_PRINT_POINTS / 72:
        text_height = None  # smaller than any print at the page's stated resolution: a noisy measure, not print
    if text_height and not layout.till_roll and text_height >= _PAGE_ENLARGE_BELOW:
        text_height = max(text_height, _TEXT_HEIGHT_OK[0])  # a page's small print stays as it is (see above)
    # enlarged before denoising: a median filter on 12-pixel print erases its one-pixel strokes
    before = gray.size
    gray, factor = scale_to_text_height(gray, text_height, max_pixels, soft=layout.till_roll and soft_print(gray))
    if gray.size != before:
        steps.append(("scale", gray.width / before[0], gray.height / before[1]))
    gray = gray.filter(ImageFilter.GaussianBlur(_TILL_ROLL_BLUR)) if layout.till_roll else median3(gray)
    return PreparedPage(gray, dpi * factor if dpi else None, layout.till_roll, None if flattened else tuple(steps))


def rotated_size(size: tuple[int, int], degrees: float) -> tuple[int, int]:
    """The size ``Image.rotate(degrees, expand=True)`` gives a page of ``size``, computed without rotating."""
    width, height = size
    radians = np.deg2rad(degrees)
    cos, sin = abs(np.cos(radians)), abs(np.sin(radians))
    return int(np.ceil(width * cos + height * sin)), int(np.ceil(width * sin + height * cos))


def clean_page(image: Image.Image, threshold: bool = True, max_pixels: int | None = None) -> Image.Image:
    """Grayscale, straighten, denoise and (``threshold``) binarise a page: dark text on white, mode "L".

    The OCR path keeps the gray levels: tesseract thresholds the page itself
    to find its layout, but its LSTM recogniser reads the gray image, and thin
    light-gray print that a global threshold breaks into pieces is still
    whole in gray.
    """
    max_pixels = max_pixels or Limits().max_pixels
    check_size(image.size, max_pixels, "the page")
    gray = straighten(to_grayscale(image), max_pixels)
    gray = median3(gray)
    return binarise(gray) if threshold else gray


def find_paper(gray: Image.Image) -> list[tuple[float, float]] | None:
    """The corners of a sheet photographed on a darker surface (top-left, top-right, bottom-right, bottom-left).

    None for a scan or a photo filling the frame: the paper must be clearly
    brighter than what surrounds it, that surround must show on most of the
    image's edge, and the sheet must cover a fair part of the frame.  The
    corners are the paper's extreme points along the two diagonals, found
    on a small copy after small bright specks are removed.
    """
    small = _reduced(gray, _PAPER_SAMPLE_SIDE)
    pixels = rank_filter(rank_filter(np.asarray(small), 5, np.minimum), 5, np.maximum)  # specks and print away
    small = Image.fromarray(pixels, "L")
    pixels = pixels.astype(np.int16)
    threshold = otsu_threshold(small)
    paper = pixels > threshold
    edge = np.concatenate([paper[0], paper[-1], paper[:, 0], paper[:, -1]])
    share = paper.mean()
    contrast = pixels[paper].mean() - pixels[~paper].mean() if paper.any() and (~paper).any() else 0
    if edge.mean() > _PAPER_EDGE_SHARE or not _PAPER_AREA[0] <= share <= _PAPER_AREA[1] or contrast < 60:
        return None
    ys, xs = np.nonzero(paper)
    factor = gray.width / small.width
    corners = []
    for score in (-(xs + ys), xs - ys, xs + ys, ys - xs):  # top-left, top-right, bottom-right, bottom-left
        i = int(np.argmax(score))
        corners.append((float(xs[i]) * factor, float(ys[i]) * factor))
    return corners


def whiten_surround(gray: Image.Image) -> Image.Image:
    """The page with the near-black surround along its edges made white: what tesseract thresholds is the paper.

    A receipt scanned or photographed with black around it (a torn edge's
    shadow, the scanner's lid, a dark table the sheet was not cut out of)
    has three levels: black, its print, its paper.  A threshold for the
    whole page (tesseract's, ``otsu_threshold``) then falls between the
    black and the rest, and light thermal or dot-matrix print lands on the
    paper side: a legible receipt read as nothing at all.  The surround is
    the pixels darker than ``_SURROUND_LEVEL`` reached in a straight run
    from one of the four edges; print inside the paper is not reached.  Left
    as it is when whitening it hardly moves the page's threshold (a speck of
    print touching the edge, a thin dark border: ``_SURROUND_THRESHOLD_SHIFT``)
    or when it is most of the image (a dark page).

    >>> page = Image.new("L", (100, 100), 240); page.paste(0, (0, 0, 100, 10)); page.paste(150, (40, 50, 60, 55))
    >>> [int(whiten_surround(page).getpixel(xy)) for xy in ((50, 5), (50, 52), (50, 80))]
    [255, 150, 240]
    """
    dark = np.asarray(gray) < _SURROUND_LEVEL
    reached = np.logical_and.accumulate(dark, axis=0)
    reached |= np.logical_and.accumulate(dark[::-1], axis=0)[::-1]
    reached |= np.logical_and.accumulate(dark, axis=1)
    reached |= np.logical_and.accumulate(dark[:, ::-1], axis=1)[:, ::-1]
    if not reached.any() or reached.mean() > _SURROUND_MAX_SHARE:
        return gray
    pixels = np.asarray(gray).copy()
    pixels[reached] = 255
    whitened = Image.fromarray(pixels, "L")
    if otsu_threshold(whitened) - otsu_threshold(gray) < _SURROUND_THRESHOLD_SHIFT:
        return gray
    return whitened


def _reduced(gray: Image.Image, side: int) -> Image.Image:
    """A copy about ``side`` pixels on its long side, by averaging whole blocks of pixels (fast)."""
    factor = max(1, max(gray.size) // side)
    return gray.reduce(factor) if factor > 1 else gray.copy()


def flatten_perspective(gray: Image.Image) -> Image.Image:
    """A sheet photographed at an angle on a table, cut out and made rectangular again; else unchanged.

    The output keeps the sheet's own proportions (the mean lengths of its
    opposite sides); the surround is gone, so nothing else of the photo is
    read as text.
    """
    corners = find_paper(gray)
    if corners is None:
        return gray
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = corners
    width = round((np.hypot(x1 - x0, y1 - y0) + np.hypot(x2 - x3, y2 - y3)) / 2)
    height = round((np.hypot(x3 - x0, y3 - y0) + np.hypot(x2 - x1, y2 - y1)) / 2)
    if width < 50 or height < 50:
        return gray
    coefficients = _perspective_coefficients([(0, 0), (width, 0), (width, height), (0, height)], corners)
    return gray.transform(
        (width, height), Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC, fillcolor=255
    )


def _perspective_coefficients(target, source) -> list[float]:
    """PIL's eight perspective coefficients mapping each ``target`` corner to its ``source`` corner."""
    rows, values = [], []
    for (x, y), (u, v) in zip(target, source, strict=True):
        rows.append([x, y, 1, 0, 0, 0, -u * x, -u * y])
        rows.append([0, 0, 0, x, y, 1, -v * x, -v * y])
        values += [u, v]
    return [float(c) for c in np.linalg.solve(np.array(rows, dtype=np.float64), np.array(values, dtype=np.float64))]


def straighten(gray: Image.Image, max_pixels: int | None = None, steps: list | None = None) -> Image.Image:
    """The page turned so its text lines are level (within ``MAX_SKEW_DEGREES``).

    A page whose turned copy would pass ``max_pixels`` is read crooked
    (``rotate(expand=True)`` of a 1,000,000 x 1 strip asked for 94 GB); the
    result is checked against the cap.  A turn is added to ``steps`` (see
    ``layout.PageFrame``).  Bicubic interpolation (0.13 s on a
    200 dpi A4 page): levelling by shears of whole pixel rows and columns
    took 7 ms but cost 3 of 462 fields on simulated scans and receipts their
    dates, whose print is enlarged after.
    """
    max_pixels = max_pixels or Limits().max_pixels
    angle = estimate_skew(gray)
    if abs(angle) >= 0.2:
        turned = rotated_size(gray.size, angle)
        if turned[0] * turned[1] <= max_pixels:
            size = gray.size
            gray = gray.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
            if steps is not None:
                steps.append(("rotate", angle, size, gray.size))
    check_size(gray.size, max_pixels, "the straightened page")
    return gray


def turn(image: Image.Image, degrees: int) -> Image.Image:
    """The page turned counter-clockwise by a multiple of 90 degrees (what orientation detection asks for)."""
    transposes = {
        90: Image.Transpose.ROTATE_90,
        180: Image.Transpose.ROTATE_180,
        270: Image.Transpose.ROTATE_270,
    }
    degrees %= 360
    return image.transpose(transposes[degrees]) if degrees in transposes else image


def even_lighting(gray: Image.Image) -> Image.Image:
    """A page photographed under a lamp or with a shadow across it, with its paper made evenly white.

    The paper's brightness is estimated at each place (the brightest level
    around it, ink removed by a maximum filter wider than a letter, then
    smoothed) and every pixel divided by it: ink stays as dark relative to
    its own paper, a shadow disappears.  Gray levels are kept (tesseract's
    recogniser reads them).  Darker than ``_DARKEST_PAPER`` is not paper but
    a printed dark band (white text on it must stay readable): it is only
    lightened.  An evenly lit scan on white paper is returned unchanged; an
    evenly lit page whose paper is gray (``_WHITE_PAPER``: a photo in dim
    light, its sensor noise stretched with it) is divided too: left gray,
    the white corners deskewing adds were parted from the paper as the
    page's brightest level, and half its paper measured as ink (a receipt
    on an A4 sheet was not cut to its ink).
    """
    small = _reduced(gray, 400)
    background = Image.fromarray(rank_filter(np.asarray(small), 9, np.maximum), "L").filter(ImageFilter.GaussianBlur(6))
    levels = np.asarray(background, dtype=np.float64)
    low, middle, high = np.percentile(levels, (5, 50, 95))
    if (high - low <= _UNEVEN_PAPER_LEVELS and middle >= _WHITE_PAPER) or high < 40:
        return gray
    paper = np.asarray(background.resize(gray.size, Image.Resampling.BILINEAR), dtype=np.float64)
    flat = np.asarray(gray, dtype=np.float64) * 255.0 / np.maximum(paper, _DARKEST_PAPER)
    return Image.fromarray(flat.clip(0, 255).astype(np.uint8), "L")


def measure_layout(gray: Image.Image) -> PageLayout:
    """Inked box and median text line height of a level gray page (see ``PageLayout``).

    The box holds all but ``_INK_MASS_TRIM`` of the ink at each edge, so dust
    specks on an otherwise empty A4 scan of a receipt do not widen it.  Text
    lines are the runs of rows with ink across the box, blank rows between.
    """
    size = gray.size
    scale = 2 if gray.width * gray.height > _HALVED_MEASURE_PIXELS else 1
    if scale > 1:  # averaging 2x2 pixels also averages sensor noise away
        gray = gray.reduce(scale)
    ink = np.asarray(gray) <= min(otsu_threshold(gray), 200)
    # single dark pixels (sensor noise, dust) are not print: ink keeps a neighbour above, below or beside
    neighbour = np.zeros_like(ink)
    neighbour[1:, :] |= ink[:-1, :]
    neighbour[:-1, :] |= ink[1:, :]
    neighbour[:, 1:] |= ink[:, :-1]
    neighbour[:, :-1] |= ink[:, 1:]
    ink &= neighbour
    if ink.sum() < 50:
        return PageLayout(size, None, None)
    layout = _measured(ink, size, scale, drop_stray=False)
    if layout.till_roll:
        return layout
    # a receipt on a sheet whose edge kept a line of the table: measured again without stray ink (a second
    # chance only: a page measured a till roll as it is keeps its box, the one its OCR was tuned on)
    cleaner = _measured(ink, size, scale, drop_stray=True)
    return cleaner if cleaner.till_roll else layout


def _measured(ink: np.ndarray, size: tuple[int, int], scale: int, drop_stray: bool) -> PageLayout:
    """``measure_layout``'s box and text height from the ink mask (``drop_stray``: see ``_print_cluster``).

    Stray ink is dropped across the page only: down it, a receipt's footer
    printed far below its total parts from the rest as a blank band would.
    """
    left, right = _mass_span(ink.sum(axis=0), drop_stray)
    top, bottom = _mass_span(ink.sum(axis=1))  # across only: a blank band parts a receipt's own lines
    box = (left * scale, top * scale, min(size[0], (right + 1) * scale), min(size[1], (bottom + 1) * scale))
    rows = ink[top : bottom + 1, left : right + 1].sum(axis=1)
    # a row holds text when it has clearly more ink than the blank rows between lines (noise, dust)
    floor, peak = np.percentile(rows, (20, 90))
    inked = rows >= max(2.0, 0.01 * (right + 1 - left), floor + 0.1 * (peak - floor))
    heights, run = [], 0
    for flag in np.append(inked, False):
        if flag:
            run += 1
        elif run:
            heights.append(run)
            run = 0
    heights = [h for h in heights if 4 / scale <= h <= max(8, (bottom - top) // 3)]
    text_height = float(np.median(heights)) * scale if len(heights) >= 3 else None
    return PageLayout(size, box, text_height)


def _mass_span(profile: np.ndarray, drop_stray: bool = False) -> tuple[int, int]:
    if drop_stray:
        profile = _print_cluster(profile)
    cumulative = np.cumsum(profile, dtype=np.float64)
    total = cumulative[-1]
    first = int(np.searchsorted(cumulative, total * _INK_MASS_TRIM))
    last = int(np.searchsorted(cumulative, total * (1 - _INK_MASS_TRIM)))
    return first, min(last, len(profile) - 1)


def _print_cluster(profile: np.ndarray) -> np.ndarray:
    """The ink profile without stray clusters: a sheet's edge or a shadow line far from the print, a few specks.

    Inked stretches (columns or rows with more than a speck's ink) parted by
    a blank band wider than ``_STRAY_GAP`` of the page are clusters; those
    at most ``_STRAY_EXTENT`` pixels across (thinner than any printed line
    or letter) or holding less than ``_STRAY_MASS`` of the ink are dropped:
    a lone text line far below the rest (a footer) is kept.  A flattened
    photo keeps a line of the table along its edge; it widened the inked box
    of a receipt photographed on an A4 sheet to the whole sheet, which was
    then not read as a till roll.
    """
    inked = profile > max(2.0, _SPECK_SHARE * len(profile))
    if not inked.any():
        return profile
    gap = max(2, round(_STRAY_GAP * len(profile)))
    positions = np.flatnonzero(inked)
    breaks = np.flatnonzero(np.diff(positions) > gap)
    starts = np.concatenate([[positions[0]], positions[breaks + 1]])
    ends = np.concatenate([positions[breaks], [positions[-1]]])
    total = float(profile.sum())
    kept = np.zeros(len(profile), dtype=bool)
    for start, end in zip(starts, ends, strict=True):
        if end - start >= _STRAY_EXTENT and profile[start : end + 1].sum() >= _STRAY_MASS * total:
            kept[start : end + 1] = True
    return np.where(kept, profile, 0) if kept.any() else profile


def crop_to_ink(gray: Image.Image, layout: PageLayout, steps: list | None = None) -> Image.Image:
    """The inked box with a margin of two text lines: a receipt without the rest of the sheet it lies on.

    The cut is added to ``steps`` (see ``layout.PageFrame``).
    """
    if layout.ink_box is None or not layout.text_height:
        return gray
    margin = round(layout.text_height * _CROP_MARGIN_LINES)
    left, top, right, bottom = layout.ink_box
    box = (
        max(0, left - margin),
        max(0, top - margin),
        min(gray.width, right + margin),
        min(gray.height, bottom + margin),
    )
    if steps is not None:
        steps.append(("crop", box[0], box[1]))
    return gray.crop(box)


def scale_to_text_height(
    gray: Image.Image, text_height: float | None, max_pixels: int | None = None, soft: bool = False
):
    """(page, factor): the page scaled so its text lines are about ``_TEXT_HEIGHT_TARGET`` pixels tall.

    Left alone when the height is unknown or already within ``_TEXT_HEIGHT_OK``;
    enlarged at most ``_MAX_ENLARGEMENT`` times and never past ``max_pixels``.
    ``soft`` print (see ``soft_print``) is enlarged whenever it is smaller
    than the target: a phone photo's blurred 18-pixel print lost its decimal
    points and dates, enlarged it read them, while crisp print of the same
    size read worse enlarged (flat receipt scans lost 6 fields of 120).
    """
    low, high = _TEXT_HEIGHT_OK
    if soft:
        low = _TEXT_HEIGHT_TARGET
    if not text_height or low <= text_height <= high:
        return gray, 1.0
    factor = min(_TEXT_HEIGHT_TARGET / text_height, _MAX_ENLARGEMENT)
    if max_pixels and factor > 1:
        factor = min(factor, (max_pixels / (gray.width * gray.height)) ** 0.5)
    if abs(factor - 1) < 0.1:
        return gray, 1.0
    size = (max(1, round(gray.width * factor)), max(1, round(gray.height * factor)))
    resample = Image.Resampling.LANCZOS if factor > 1 else Image.Resampling.BOX
    return gray.resize(size, resample), factor


def edge_sharpness(gray: Image.Image) -> float:
    """How steep the print's edges are: the steepest step between neighbouring pixels over the page's contrast.

    The steepest steps (99.5th percentile of the differences between
    neighbours, across and down) are a stroke's edges; divided by the range
    from ink (1st percentile) to paper (90th), crisp print steps most of
    the way in one pixel (scans measured 0.4 to 1.0), print blurred by a
    phone's lens or motion spreads it over three or four pixels (0.25 to
    0.55).  0.0 for a page of one gray level.
    """
    pixels = np.asarray(gray, dtype=np.int16)
    if pixels.shape[0] < 2 or pixels.shape[1] < 2:
        return 0.0
    steps = np.concatenate([np.abs(np.diff(pixels, axis=1)).ravel(), np.abs(np.diff(pixels, axis=0)).ravel()])
    ink, paper = np.percentile(pixels, (1, 90))
    if paper - ink < 1:
        return 0.0
    return float(np.percentile(steps, 99.5) / (paper - ink))


def soft_print(gray: Image.Image) -> bool:
    """The page's print is blurred (``edge_sharpness`` under ``_SOFT_EDGES``): a phone photo, not a scan."""
    return edge_sharpness(gray) < _SOFT_EDGES


def stretch_contrast(gray: Image.Image) -> Image.Image:
    """Faint print (thermal paper, a worn ribbon) stretched to the full range: its darkest ink black, paper white.

    Half a percent of the pixels at each end are ignored, so a few black
    specks or a dark border do not stop the stretch.
    """
    return ImageOps.autocontrast(gray, cutoff=0.5)


def to_grayscale(image: Image.Image, darkest_channel: bool = False) -> Image.Image:
    """8-bit gray; transparency becomes white paper, 16-bit scans are scaled rather than clipped.

    ``darkest_channel`` takes each pixel's darkest colour channel instead of
    its luminance: red or purple till print and blue ballpoint are light in
    luminance (tesseract dropped a pink dot-matrix shop name) but dark in
    one channel, while white paper is white in all three.
    """
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):
        values = np.asarray(image, dtype=np.float64)
        peak = values.max() or 1.0
        return Image.fromarray((values * (255.0 / peak)).clip(0, 255).astype(np.uint8), "L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        paper = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(paper, image.convert("RGBA"))
    if darkest_channel and image.mode in ("RGB", "RGBA", "P", "CMYK", "YCbCr"):
        return Image.fromarray(np.asarray(image.convert("RGB")).min(axis=2), "L")
    return image.convert("L")


def estimate_skew(gray: Image.Image, max_degrees: float = MAX_SKEW_DEGREES) -> float:
    """The rotation (degrees, counter-clockwise) that makes the text lines horizontal.

    Projection-profile search: text lines rotated level give the sharpest
    row-by-row ink profile.  Coarse 0.5 degree steps, then 0.1 around the best.
    The ink pixels of a copy ``_SKEW_SAMPLE_SIDE`` large are projected onto
    the rows they would fall on at each angle (``_ink_profile``) rather than
    the image being rotated thirty times: the same profiles at a fraction of
    the cost (0.4 s of a page's preparation before).
    """
    sample = gray.copy()
    sample.thumbnail((_SKEW_SAMPLE_SIDE, _SKEW_SAMPLE_SIDE))
    ink = np.asarray(sample) <= otsu_threshold(sample)
    if ink.mean() < 0.002:  # a blank page has no lines to level
        return 0.0
    ys, xs = np.nonzero(ink)
    centre_x, centre_y = (sample.width - 1) / 2, (sample.height - 1) / 2
    xs, ys = xs - centre_x, ys - centre_y

    def sharpness(angle: float) -> float:
        return float(np.square(np.diff(_ink_profile(xs, ys, angle, centre_y, sample.height))).sum())

    coarse = np.arange(-max_degrees, max_degrees + 0.01, 0.5)
    best = max(coarse, key=sharpness)
    fine = np.arange(best - 0.4, best + 0.41, 0.1)
    return round(float(max(fine, key=sharpness)), 1)


def _ink_profile(xs: np.ndarray, ys: np.ndarray, angle: float, centre_y: float, height: int) -> np.ndarray:
    """Ink pixels per row once the page is turned ``angle`` degrees counter-clockwise about its centre.

    ``xs`` and ``ys`` are the ink pixels' offsets from the centre (y down);
    pixels turned off the page are dropped, as ``Image.rotate`` drops them.
    """
    radians = np.deg2rad(angle)
    rows = np.rint(ys * np.cos(radians) - xs * np.sin(radians) + centre_y).astype(np.int64)
    rows = rows[(rows >= 0) & (rows < height)]
    return np.bincount(rows, minlength=height).astype(np.float64)


def rank_filter(pixels: np.ndarray, size: int, pick) -> np.ndarray:
    """Each pixel replaced by the darkest (``np.minimum``) or lightest (``np.maximum``) of its size x size square.

    What Pillow's ``MinFilter``/``MaxFilter`` give (edges repeated outward),
    as two passes of ``size`` array operations: Pillow's rank filter sorts
    every window and took 0.3 s on a 400-pixel copy of a page.
    """
    margin = size // 2
    padded = np.pad(pixels, margin, mode="edge")
    height, width = pixels.shape
    rows = padded[:height]
    for shift in range(1, size):
        rows = pick(rows, padded[shift : shift + height])
    result = rows[:, :width]
    for shift in range(1, size):
        result = pick(result, rows[:, shift : shift + width])
    return result


def median3(gray: Image.Image) -> Image.Image:
    """The 3 x 3 median of a gray page (specks and sensor noise away, strokes kept): Pillow's ``MedianFilter(3)``.

    Exact, from sorted columns: with each pixel's column of three sorted into
    low, middle and high, the median of the nine is the median of the
    largest of the three lows, the median of the middles and the smallest of
    the highs.  A dozen array operations instead of a sort per pixel (0.85 s
    on a 200 dpi A4 page with Pillow's filter).
    """
    pixels = np.pad(np.asarray(gray), 1, mode="edge")
    up, middle, down = pixels[:-2], pixels[1:-1], pixels[2:]
    low, high = np.minimum(up, middle), np.maximum(up, middle)
    mid = np.maximum(low, np.minimum(high, down))
    low, high = np.minimum(low, down), np.maximum(high, down)
    left, centre, right = slice(None, -2), slice(1, -1), slice(2, None)
    lows = np.maximum(np.maximum(low[:, left], low[:, centre]), low[:, right])
    highs = np.minimum(np.minimum(high[:, left], high[:, centre]), high[:, right])
    mids = _median_of_three(mid[:, left], mid[:, centre], mid[:, right])
    return Image.fromarray(np.ascontiguousarray(_median_of_three(lows, mids, highs)), "L")


def _median_of_three(a: np.ndarray, b: np.ndarray, c: np.ndarray) -> np.ndarray:
    return np.maximum(np.minimum(a, b), np.minimum(np.maximum(a, b), c))


def otsu_threshold(gray: Image.Image) -> int:
    """The gray level that best separates ink from paper (Otsu: maximal between-class variance)."""
    counts = np.asarray(gray.histogram()[:256], dtype=np.float64)
    levels = np.arange(256, dtype=np.float64)
    total = counts.sum()
    weight_dark = np.cumsum(counts)
    weight_light = total - weight_dark
    cumulative_mass = np.cumsum(counts * levels)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean_dark = cumulative_mass / weight_dark
        mean_light = (cumulative_mass[-1] - cumulative_mass) / weight_light
        between = weight_dark * weight_light * np.square(mean_dark - mean_light)
    between = np.nan_to_num(between)
    return int(np.argmax(between)) if between.any() else 127


def binarise(gray: Image.Image) -> Image.Image:
    return gray.point(_threshold_table(otsu_threshold(gray), ink_value=0))


def lift_shading(gray: Image.Image, stroke: int) -> Image.Image:
    """The page with each area's own paper made white: a shaded cell's gray and a shadow gone, its print kept.

    The paper at each pixel is the page closed (the lightest level within
    ``stroke`` pixels, then the darkest of those): print thinner than
    ``stroke`` is filled in, while a shaded cell or band wider than it keeps
    its gray level and its sharp edges.  Each pixel is divided by its paper,
    as ``even_lighting`` does for the page's broad lighting: a title cell's
    gray, which a threshold for the whole page sends to the ink side with the
    text on it, becomes paper.  Areas darker than ``_DARKEST_PAPER`` are a
    printed dark band (white text on it): only lightened.

    >>> cell = Image.new("L", (100, 20), 255); cell.paste(110, (20, 0, 80, 20)); cell.paste(20, (45, 8, 49, 12))
    >>> [int(lift_shading(cell, 9).getpixel((x, 10))) for x in (10, 30, 47, 70, 90)]
    [255, 255, 46, 255, 255]
    """
    size = max(3, stroke | 1)
    pixels = np.asarray(gray)
    paper = rank_filter(rank_filter(pixels, size, np.maximum), size, np.minimum).astype(np.float64)
    flat = pixels.astype(np.float64) * 255.0 / np.maximum(paper, _DARKEST_PAPER)
    return Image.fromarray(flat.clip(0, 255).astype(np.uint8), "L")


def sides_changed(before: Image.Image, after: Image.Image) -> float:
    """The share of pixels that a threshold for the whole page puts on the other side of ink/paper after a change.

    What tesseract sees differently once ``lift_shading`` has made each
    area's paper white: near 0 on a page of white paper (no shaded cell, no
    shadow), where a second reading would give the first one again.

    >>> page = Image.new("L", (100, 20), 255); page.paste(20, (45, 8, 49, 12))
    >>> sides_changed(page, lift_shading(page, 9))
    0.0
    >>> page.paste(110, (20, 0, 80, 20)); page.paste(20, (45, 8, 49, 12))
    >>> round(sides_changed(page, lift_shading(page, 9)), 2)
    0.59
    """
    old = np.asarray(before) > otsu_threshold(before)
    new = np.asarray(after) > otsu_threshold(after)
    return float(np.count_nonzero(old != new)) / old.size


def _threshold_table(threshold: int, ink_value: int) -> list[int]:
    paper_value = 255 - ink_value
    return [ink_value] * (threshold + 1) + [paper_value] * (255 - threshold)
