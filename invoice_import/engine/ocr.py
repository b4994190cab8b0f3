"""OCR of scanned PDF pages and image files with tesseract.

Pages are rendered (``pdf.render_page``) or decoded (``images``) within the
pixel cap, cleaned, and read by tesseract in a child process bounded by
what is left of the extraction deadline.  The text goes on to the same
template and free-form extractors as a PDF's own text layer.
"""

from __future__ import annotations

import functools
import math
import os

from .errors import ExtractionError
from .images import open_image_frames, prepare_for_ocr
from .limits import Deadline, Limits

_PAGE_SEPARATOR = "\n\n"
_TESSERACT_MIN_DPI = 70  # below this tesseract ignores the hint and guesses anyway
_MIN_USEFUL_OCR_DPI = 100  # a big page is rendered coarser to fit the pixel cap, but not coarser than this
# Tesseract's OpenMP threads fight each other (and the other Odoo workers) on a small machine: one page took
# 2.4 s with them and 0.7 s without on the 2-core reference box.  pytesseract cannot pass an environment per
# call, so the default is set for the child processes; an explicit OMP_THREAD_LIMIT still wins.
_TESSERACT_ENVIRONMENT_DEFAULTS = {"OMP_THREAD_LIMIT": "1"}


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
        page, dpi = prepare_for_ocr(doc.render_page(index, dpi), dpi, limits.max_pixels)
        texts.append(recognise(page, languages, deadline, dpi))
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
    texts = []
    for frame, dpi in open_image_frames(data, limits, deadline):
        languages = available_languages(limits.ocr_languages)
        page, dpi = prepare_for_ocr(frame, dpi, limits.max_pixels)
        texts.append(recognise(page, languages, deadline, dpi))
    return _PAGE_SEPARATOR.join(texts)


def recognise(page, languages: str, deadline: Deadline, dpi: float | None = None) -> str:
    """Run tesseract on one clean page; its timeout is what the deadline has left."""
    import pytesseract

    return _tesseract(pytesseract.image_to_string, page, languages, deadline, dpi)


def _tesseract(call, page, languages: str, deadline: Deadline, dpi: float | None, **kwargs):
    """``call`` (a pytesseract function) on one page within the deadline; tesseract's failures as ExtractionError."""
    import pytesseract

    remaining = deadline.remaining()
    if remaining <= 0:
        deadline.check("OCR")
    for name, value in _TESSERACT_ENVIRONMENT_DEFAULTS.items():
        os.environ.setdefault(name, value)
    config = f"--psm 3 --dpi {round(dpi)}" if dpi and dpi >= _TESSERACT_MIN_DPI else "--psm 3"
    try:
        return call(page, lang=languages, config=config, timeout=remaining, **kwargs)
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


def recognise_words(page, languages: str, deadline: Deadline, dpi: float | None = None, number: int = 0) -> list:
    """Tesseract's words of one clean page with their boxes (``layout.Word``, pixels), for the layout reader.

    The same call as ``recognise`` (``image_to_data`` instead of
    ``image_to_string``): one OCR pass gives both the words and, through
    ``layout.Layout``, the page's text.
    """
    import pytesseract

    from .layout import tesseract_words

    data = _tesseract(pytesseract.image_to_data, page, languages, deadline, dpi, output_type=pytesseract.Output.DICT)
    return tesseract_words(data, number)
