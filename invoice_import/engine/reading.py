"""Positioned words of a whole document, from whichever source each page needs.

A PDF page with a text layer gives its words from pdfium's character
boxes; a page without one (a scan inside a PDF) and every image file are
rendered or decoded within the caps, cleaned, and read by tesseract with
word boxes.  Both become one ``layout.Layout``, so the template-free reader
sees a scan and a text PDF the same way.
"""

from __future__ import annotations

from .layout import Layout
from .limits import Deadline, Limits


def pdf_layout(
    doc, data: bytes, scanned: list[int], limits: Limits, deadline: Deadline, texts: list[str] | None = None
) -> Layout:
    """The words of every page of an open ``pdf.PdfDocument``: text layer, or OCR for the ``scanned`` pages.

    ``texts``: the pages' text as ``pages_text`` read it, to check pdfium's characters against.
    """
    from .pdf import positioned_words

    layered = [index for index in range(doc.page_count) if index not in scanned]
    words = positioned_words(data, layered, deadline, texts) if layered else {}
    if scanned:
        from .images import prepare_for_ocr
        from .ocr import available_languages, check_ocr_pages, fitting_dpi, recognise_words

        check_ocr_pages(len(scanned), limits)
        languages = available_languages(limits.ocr_languages)
        for index in scanned:
            deadline.check("OCR")
            dpi = fitting_dpi(doc.page_size(index), limits)
            page, dpi = prepare_for_ocr(doc.render_page(index, dpi), dpi, limits.max_pixels)
            words[index] = recognise_words(page, languages, deadline, dpi, number=index)
    return Layout([words.get(index, []) for index in range(doc.page_count)])


def image_layout(data: bytes, limits: Limits, deadline: Deadline) -> Layout:
    """The words of an image file (PNG, JPEG, TIFF...), each frame of a multi-page TIFF a page."""
    from .images import open_image_frames, prepare_for_ocr
    from .ocr import available_languages, recognise_words

    languages = available_languages(limits.ocr_languages)
    pages = []
    for number, (frame, dpi) in enumerate(open_image_frames(data, limits, deadline)):
        page, dpi = prepare_for_ocr(frame, dpi, limits.max_pixels)
        pages.append(recognise_words(page, languages, deadline, dpi, number=number))
    return Layout(pages)
