"""Positioned words of a whole document, from whichever source each page needs.

A PDF page with a text layer gives its words from pdfium's character
boxes; a page without one (a scan inside a PDF) and every image file are
rendered or decoded within the caps, prepared (``images.prepare_page``) and
read by tesseract the right way up, in their own languages
(``ocr.recognise``).  Both become one ``layout.Layout``, so the
template-free reader sees a scan and a text PDF the same way.  An OCR page
keeps tesseract's own text too (``Layout.page_texts``): a till roll's rows
as tesseract read them are what the receipt reader and templates read.
"""

from __future__ import annotations

from .layout import Layout, PageFrame
from .limits import Deadline, Limits


def pdf_layout(
    doc, data: bytes, scanned: list[int], limits: Limits, deadline: Deadline, texts: list[str] | None = None
) -> Layout:
    """The words of every page of an open ``pdf.PdfDocument``: text layer, or OCR for the ``scanned`` pages.

    ``texts``: the pages' text as ``pages_text`` read it, to check pdfium's characters against.
    """
    from .pdf import positioned_words

    layered = [index for index in range(doc.page_count) if index not in scanned]
    known = {index: words for index, words in doc.fast_words.items() if index in layered}  # pages_text_fast's
    rest = [index for index in layered if index not in known]
    words = positioned_words(data, rest, deadline, texts) if rest else {}
    words.update(known)
    ocr_texts: dict[int, str] = {}
    sizes = {index: _text_layer_frame(doc, index) for index in layered}
    if scanned:
        from .ocr import available_languages, check_ocr_pages, fitting_dpi, next_languages

        check_ocr_pages(len(scanned), limits)
        languages = available_languages(limits.ocr_languages)
        for index in scanned:
            deadline.check("OCR")
            dpi = fitting_dpi(doc.page_size(index), limits)
            words[index], ocr_texts[index], sizes[index] = _read_page(
                doc.render_page(index, dpi), dpi, index, languages, limits, deadline
            )
            languages = next_languages(ocr_texts[index], languages)
    pages = range(doc.page_count)
    return Layout(
        [words.get(index, []) for index in pages],
        texts=[ocr_texts.get(index) for index in pages],
        sizes=[sizes.get(index) for index in pages],
    )


def _text_layer_frame(doc, index: int):
    """How a text page's words (unrotated page space) map onto the page as shown, turned by its /Rotate."""
    width, height = doc.page_size(index)
    degrees = doc.page_rotation(index)
    if not degrees:
        return width, height
    shown = (height, width) if degrees in (90, 270) else (width, height)
    # the words' space is the page shown turned back (counter-clockwise by the degrees it was turned clockwise),
    # measured down from the shown height rather than the page's own (pdfium's height is the shown one)
    return PageFrame(*shown, (("turn", degrees, shown), ("crop", 0, height - shown[1])))


def image_layout(data: bytes, limits: Limits, deadline: Deadline) -> Layout:
    """The words of an image file (PNG, JPEG, TIFF, HEIC...), each frame of a multi-page TIFF a page."""
    from .images import open_image_frames
    from .ocr import available_languages, next_languages

    languages = available_languages(limits.ocr_languages)
    words, texts, sizes = [], [], []
    for number, (frame, dpi) in enumerate(open_image_frames(data, limits, deadline)):
        page_words, text, size = _read_page(frame, dpi, number, languages, limits, deadline)
        languages = next_languages(text, languages)
        words.append(page_words)
        texts.append(text)
        sizes.append(size)
    return Layout(words, texts=texts, sizes=sizes)


def _read_page(image, dpi, number: int, languages: str, limits: Limits, deadline: Deadline) -> tuple:
    """(layout words, tesseract's text, the words' page size or None) of one page image, read the right way up."""
    from .ocr import layout_words, read_page

    reading = read_page(image, dpi, languages, limits, deadline)
    return layout_words(reading, number), reading, reading.size


def read_again(layout: Layout, deadline: Deadline) -> Layout | None:
    """The layout with every OCR page read a second time (``ocr.read_lifted``, then ``ocr.read_lost_lines``);
    None when none was read again.

    Pages with a text layer keep their words.  The boxes of a page read
    again map onto its image as the first reading's did.
    """
    from .ocr import read_lifted, read_lost_lines

    def lifted(text, deadline):
        again = read_lifted(text, deadline)  # None: a page the lift leaves as it was keeps its first reading
        return read_lost_lines(again, deadline) or again if again is not None else None

    return _pages_read_again(layout, lifted, deadline)


def recover_lost_lines(layout: Layout, deadline: Deadline) -> Layout | None:
    """The layout with the lines tesseract skipped on each till roll read (``ocr.read_lost_lines``); None if none.

    The words already read stay as they are: only lines found on the page
    in none of them are added.
    """
    from .ocr import read_lost_lines

    return _pages_read_again(layout, read_lost_lines, deadline)


def reread_doubtful_words(layout: Layout, deadline: Deadline) -> Layout | None:
    """The layout with the words tesseract was unsure of on each OCR page read again alone
    (``ocr.read_doubtful_words``); None when none read better.
    """
    from .ocr import read_doubtful_words

    return _pages_read_again(layout, read_doubtful_words, deadline)


def _pages_read_again(layout: Layout, read_page, deadline: Deadline) -> Layout | None:
    """The layout with each OCR page as ``read_page(reading, deadline)`` reads it again; None when none was."""
    from .ocr import OcrText, layout_words

    pages: list[list] = [[] for _ in range(layout.page_count)]
    for line in layout.lines:
        pages[line.page].extend(line.words)
    texts = list(layout.source_texts)
    read = False
    for index, text in enumerate(texts):
        if isinstance(text, OcrText) and text.image is not None:
            again = read_page(text, deadline)
            if again is not None:
                texts[index], pages[index] = again, layout_words(again, index)
                read = True
    return Layout(pages, texts=texts, sizes=layout.sizes) if read else None
