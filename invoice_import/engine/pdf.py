"""Reading untrusted PDFs within the caps of ``Limits``.

pdfplumber (pdfminer) gives the best text layer but trusts its input: it
inflates whole streams in memory and walks every page.  So every PDF is
first opened with pypdf, which lets us look at the structure cheaply:
the page count comes from the page tree, and every stream pdfminer could
inflate is inflated here first, incrementally and against a byte budget,
so a flate bomb is refused before pdfminer ever sees it.  pdfminer then
lays out each page under a work budget (glyphs, shapes, forms drawn, and
the deadline checked as it goes), because a 1 KB page can ask it to draw
millions of glyphs.  Rendering for OCR happens in a ``pdftoppm`` child
process under a memory rlimit and a timeout, after the page size has been
checked against the pixel cap.

Every structure walked here (page tree, name trees, resources and forms)
is read once per node, with a visited set, a node cap and the deadline.
pdfminer and pdfplumber walk two on opening by plain recursion (page
labels, document information): those must be trees of bounded size, or
the file is refused before either library sees it; a node listed twice
forty levels deep is 2^40 steps for them.  The reader process
(``sandbox.py``) stops whatever escapes these caps.

Every error a parser raises on garbage becomes ``corrupt_pdf``; nothing
else ever leaves this module.
"""

from __future__ import annotations

import bisect
import functools
import io
import logging
import math
import re
import resource
import shutil
import subprocess
import zlib
from collections.abc import Iterator
from contextlib import contextmanager

from .errors import ExtractionError
from .limits import Deadline, Limits

# Attachment names of the e-invoice syntaxes (Factur-X, ZUGFeRD 1/2, XRechnung): offered first.
EINVOICE_ATTACHMENT_NAMES = ("factur-x.xml", "zugferd-invoice.xml", "xrechnung.xml")

_DEFAULT_PAGE_BOX = (0.0, 0.0, 612.0, 792.0)  # US Letter: what PDF readers assume when a page names no box
_MAX_TREE_DEPTH = 64  # page and name trees are a handful of levels deep; deeper is a loop or an attack
# Nodes of one name or number tree: an invoice's hold a few dozen.  Past this the tree is a trap, not data.
_MAX_TREE_NODES = 10_000
# Values pdfplumber resolves in the document information dictionary, counted the way it walks them (every path,
# no visited set): a real one holds a dozen strings, 40 levels of dictionaries listing the next level twice
# hold 2^40 paths.
_MAX_INFO_VALUES = 2_000
# pdfminer parses a whole object stream the first time it needs one object in it, at 0.1 to 0.5 MB/s and
# without looking at the clock; an object stream holds at most a few hundred small objects (well under 1 MB).
MAX_OBJECT_STREAM_BYTES = 1 << 20
MAX_OBJECT_STREAMS_BYTES = 4 << 20  # all object streams of the file together
# Content streams drawn on one page (its /Contents array and the forms it draws): pdfminer's per-stream overhead
# made 50,000 tiny ones take half a minute.  Real pages have one to a few dozen.
MAX_STREAMS_PER_PAGE = 1_000
# The images of a page a renderer decodes whole, whatever the size it draws them at: a few times the render cap
# (an A3 scan at 600 dpi is 70 Mpx), never the 3.6 billion pixels a 800-byte JBIG2 image can declare.
IMAGE_PIXELS_PER_RENDER_PIXEL = 4
_INFLATE_INPUT_CHUNK = 64 * 1024
_INFLATE_OUTPUT_CHUNK = 1 << 20
# Image codecs: pdfminer never decodes them to read text, and pdftoppm decodes them under its own rlimit.
_IMAGE_FILTERS = {"/DCTDecode", "/DCT", "/JPXDecode", "/CCITTFaxDecode", "/CCF", "/JBIG2Decode"}
_FILTER_ALIASES = {
    "/Fl": "/FlateDecode",
    "/AHx": "/ASCIIHexDecode",
    "/A85": "/ASCII85Decode",
    "/LZW": "/LZWDecode",
    "/RL": "/RunLengthDecode",
}
# pdfminer keeps ~2 KB and spends ~40 us per drawn glyph or path, and a 1 KB file can draw millions of them
# (one form XObject drawn over and over).  A dense invoice page draws under 10,000; past this, refuse the page.
MAX_LAYOUT_OBJECTS_PER_PAGE = 100_000
# pdfminer parses drawing instructions at 0.3 to 1 MB/s; an invoice page has well under 1 MB of them.
MAX_CONTENT_BYTES_PER_PAGE = 10 * 1024 * 1024
_MAX_XOBJECT_INVOCATIONS_PER_PAGE = 5_000  # as pypdf: forms drawing forms twice, 30 deep, are a billion draws
_MAX_GRAPHICS_STATE_DEPTH = 256  # each unbalanced "q" makes pdfminer copy the graphics state for good
# A page drawing more than this (its content streams and forms) is read by pdfminer within its work budget.
FAST_TEXT_MAX_CONTENT_BYTES = 512 * 1024
FAST_TEXT_MAX_STREAMS = 20
UNMAPPED_GLYPH_RATIO = 0.3  # share of "(cid:N)" glyphs above which pdfplumber's text of a page is unusable
_CID_GLYPH = re.compile(r"\(cid:\d+\)")
_DEADLINE_CHECK_EVERY = 5000  # pdfminer operations between two deadline checks inside a page
# Text render modes that paint nothing (3: invisible, 7: clip only): how a scanner lays its OCR over the image.
_INVISIBLE_TEXT_MODES = (3, 7)
# A scan's image covers the page, a margin or a cropped receipt aside; a letterhead's logo covers a corner.
SCAN_IMAGE_SHARE = 0.5
_MAX_FORM_DEPTH = 8  # forms drawn by forms a scanner's page never nests; deeper is not a scan
_RENDER_MEMORY_BASE = 1 << 30  # pdftoppm's own needs (fonts, decoded images), on top of the page bitmap
_RENDER_BYTES_PER_PIXEL = 4

# pypdf and pdfminer log every repaired defect of a file; without a handler of their own Python prints those
# on stderr.  The defects that matter surface as ExtractionError; an application that wants the rest still gets
# them through its root logger.
for _parser_logger in ("pypdf", "pdfminer"):
    logging.getLogger(_parser_logger).addHandler(logging.NullHandler())


def open_pdf(data: bytes, limits: Limits, deadline: Deadline) -> PdfDocument:
    """Open ``data`` after the structural checks; use as ``with open_pdf(...) as doc:``."""
    return PdfDocument(data, limits, deadline)


class PdfDocument:
    """A PDF that passed the page-count, encryption and inflate checks.

    pdfplumber is opened lazily: a Factur-X file is usually fully read from
    its XML attachment, and pypdf alone is enough to get that out.
    """

    def __init__(self, data: bytes, limits: Limits, deadline: Deadline):
        self.limits = limits
        self.deadline = deadline
        self.warnings: list[str] = []
        self._data = data
        self._plumber = None
        self._texts: list[str] | None = None
        self.fast_pages: list[int] = []  # pages whose text pdfium read (pages_text_fast)
        self.fast_words: dict[int, list] = {}  # their words (layout.Word), for the layout
        self._scanner_pages: list[int] | None = None  # pages whose text is a scanner's OCR (scanner_pages)
        _check_envelope(data)
        with _parser_errors("the PDF cannot be parsed"):
            self._reader = _open_reader(data)
            deadline.check("opening the PDF")
            self._pages = _page_leaves(self._reader, limits.max_pages, deadline)
            _check_library_walks(self._reader, deadline)
            self._stream_sizes = _check_inflated_sizes(self._reader, data, limits, deadline)

    @property
    def page_count(self) -> int:
        return len(self._pages)

    def __enter__(self) -> PdfDocument:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        plumber, self._plumber = self._plumber, None
        if plumber is not None:
            try:
                plumber.close()
            except Exception:  # closing re-walks the pages of a file that may have failed half-way
                plumber.stream.close()

    def pages_text(self) -> list[str]:
        """pdfplumber's text of each page, "" for a page without a text layer.

        A page pdfminer chokes on reads as "" (with a warning) so the caller
        can still OCR it; only a document where every page fails is corrupt.
        """
        if self._texts is not None:
            return list(self._texts)
        texts, failures = [], 0
        with _parser_errors("the PDF text layer cannot be read"):
            plumber_pages = self._open_plumber().pages[: self.page_count]
        for number, page in enumerate(plumber_pages, start=1):
            self.deadline.check("PDF text extraction")
            try:
                _check_content_size(self._pages[number - 1], number, self._stream_sizes)
                _lay_out_within_budget(page, self.deadline)
                text = page.extract_text() or ""
                if unmapped_glyph_ratio(text) > UNMAPPED_GLYPH_RATIO:
                    text = self._pdfium_text(number - 1, text)
                texts.append(text)
            except (ExtractionError, MemoryError):
                raise
            except Exception as exc:  # pdfminer raises anything from KeyError to struct.error on garbage
                failures += 1
                texts.append("")
                self.warnings.append(f"page {number}: text layer unreadable ({type(exc).__name__})")
            finally:
                page.close()
        if texts and failures == len(texts):
            raise ExtractionError("corrupt_pdf", "no page of the PDF has a readable text layer")
        texts += [""] * (self.page_count - len(texts))
        self._texts = texts
        return list(texts)

    def pages_text_fast(self) -> list[str]:
        """Each page's text from pdfium where pdfium's text can be trusted, else ``pages_text``' (pdfminer).

        For the template-free reader, which reads pdfium's positioned words
        anyway: pdfminer's layout analysis is three quarters of a text PDF's
        reading time, and its text is only needed where pdfium's is in doubt.
        A page is read by pdfminer (within its work budget, as
        ``pages_text``) when it draws more than ``FAST_TEXT_MAX_CONTENT_BYTES``
        or ``FAST_TEXT_MAX_STREAMS``, or has forms that draw forms (a form
        drawn twice by a form drawn twice... is a billion draws from a few
        bytes: pdfminer's work budget stops it, pdfium would not),
        when one of its fonts has no Unicode map at all (a simple font with
        neither ``ToUnicode`` nor ``Encoding``: pdfium guesses from the font's
        own tables, "Ä" for "€"), or when pdfium finds no text on it.  Every
        page still passes ``_check_content_size``.  ``self.fast_pages`` holds
        the indexes of the pages pdfium read, ``self.fast_words`` their words:
        a page's text here is its words, one space apart (the caller lays them
        out in lines).  The pages pdfium opens are also told apart as a
        scanner's text layer or not (``scanner_pages``), whichever library
        reads their text, at no second opening.
        """
        import pypdfium2

        from .layout import pdfium_page_words

        unopened, doubtful = self._pages_pdfium_skips()
        doubtful |= unopened
        scanner_pages = []
        texts = [""] * self.page_count
        with _parser_errors("the PDF text layer cannot be read"):
            document = pypdfium2.PdfDocument(self._data, password="")
        try:
            for index in range(self.page_count):
                if index in unopened:
                    continue
                self.deadline.check("PDF text extraction")
                try:
                    page = document[index]
                    try:
                        if _scanner_text_layer(page, self.deadline):
                            scanner_pages.append(index)
                        if index in doubtful:
                            continue
                        # its words serve the layout too (pdf_layout takes them from fast_words)
                        self.fast_words[index] = pdfium_page_words(page, index)
                        texts[index] = " ".join(word.text for word in self.fast_words[index])
                    finally:
                        page.close()
                except (ExtractionError, MemoryError):
                    raise
                except Exception:  # pdfium's errors on a broken page: pdfminer reads it
                    doubtful.add(index)
                if not texts[index].strip():
                    doubtful.add(index)
        finally:
            document.close()
        self._scanner_pages = scanner_pages
        if doubtful:
            slow = self.pages_text()
            for index in doubtful:
                texts[index] = slow[index]
        self.fast_pages = [index for index in range(self.page_count) if index not in doubtful]
        self.fast_words = {index: self.fast_words[index] for index in self.fast_pages}
        return texts

    def _pages_pdfium_skips(self) -> tuple[set[int], set[int]]:
        """(unopened, doubtful): the pages pdfium is not to open, and those whose text pdfminer is to read.

        Unopened: a page drawing more than ``FAST_TEXT_MAX_CONTENT_BYTES`` or
        ``FAST_TEXT_MAX_STREAMS``, forms that draw forms, or objects pypdf
        cannot read.  Doubtful: a font without a Unicode map, which pdfium
        may still open to tell a scanner's text layer.  Every page passes
        ``_check_content_size`` here.
        """
        unopened, doubtful = set(), set()
        for number, page_entry in enumerate(self._pages, start=1):
            self.deadline.check("PDF text extraction")
            try:
                size, streams, depth = _check_content_size(page_entry, number, self._stream_sizes)
                if size > FAST_TEXT_MAX_CONTENT_BYTES or streams > FAST_TEXT_MAX_STREAMS or depth > 1:
                    unopened.add(number - 1)
                elif _guessed_unicode(page_entry):
                    doubtful.add(number - 1)
            except (ExtractionError, MemoryError):
                raise
            except Exception:  # pypdf cannot read the page's objects: pages_text says what it can
                unopened.add(number - 1)
        return unopened, doubtful

    def scanner_pages(self) -> list[int]:
        """The pages whose text a scanner's OCR laid, invisible, over the page's image (``_scanner_text_layer``).

        Whichever library reads a page's text, a supplier's template
        (``pages_text``) or the template-free reader (``pages_text_fast``,
        which tells them while it has the pages open), such a page is only
        as well read as the scanner's OCR: the caller OCRs it too.  Pages
        pdfium is not to open (``_pages_pdfium_skips``) are not told.
        """
        if self._scanner_pages is None:
            import pypdfium2

            unopened, _doubtful = self._pages_pdfium_skips()
            found = []
            with _parser_errors("the PDF text layer cannot be read"):
                document = pypdfium2.PdfDocument(self._data, password="")
            try:
                for index in range(self.page_count):
                    if index not in unopened and self._pdfium_scanner_page(document, index):
                        found.append(index)
            finally:
                document.close()
            self._scanner_pages = found
        return list(self._scanner_pages)

    def _pdfium_scanner_page(self, document, index: int) -> bool:
        """Whether page ``index`` of an open pypdfium2 document is a scanner's text layer; a broken page is not."""
        self.deadline.check("PDF text extraction")
        try:
            page = document[index]
            try:
                return _scanner_text_layer(page, self.deadline)
            finally:
                page.close()
        except (ExtractionError, MemoryError):
            raise
        except Exception:  # pdfium's errors on a broken page: its text, if any, is read as text
            return False

    def _pdfium_text(self, index: int, plumber_text: str) -> str:
        """pdfium's text of a page whose fonts have no Unicode map for pdfminer.

        pdfminer prints such glyphs as "(cid:N)"; pdfium reads the embedded
        fonts' own character maps and usually recovers the real text.
        """
        try:
            import pypdfium2
        except ImportError:
            return plumber_text
        with _parser_errors(f"page {index + 1}: the text layer cannot be read"):
            document = pypdfium2.PdfDocument(self._data, password="")
            try:
                text = document[index].get_textpage().get_text_range()
            finally:
                document.close()
        if unmapped_glyph_ratio(text) < unmapped_glyph_ratio(plumber_text):
            self.warnings.append(f"page {index + 1}: fonts without a Unicode map, text read with pdfium")
            return text.replace("\r\n", "\n")
        return plumber_text

    def embedded_files(self) -> list[tuple[str, bytes]]:
        """The attached files (name tree, /AF and FileAttachment annotations), e-invoice names first.

        Each payload is inflated against what is left of the inflate budget
        before pypdf decodes it, so an attachment bomb is refused, not read.
        """
        budget = self.limits.max_inflated_bytes
        files = []
        with _parser_errors("the PDF attachments cannot be read"):
            for name, stream in self._attachment_streams():
                self.deadline.check("reading PDF attachments")
                budget -= _decoded_size(stream, budget, self.deadline, f"attachment {name}")
                files.append((name, stream.get_data()))
        files.sort(key=lambda item: item[0].rsplit("/", 1)[-1].lower() not in EINVOICE_ATTACHMENT_NAMES)
        return files

    def render_page(self, index: int, dpi: int, gray: bool = True):
        """Page ``index`` (0-based) as a PIL image; the size is checked against the caps before rendering."""
        from PIL import Image

        self.deadline.check("rendering a PDF page")
        width, height = self.page_size(index)
        if max(width, height) > self.limits.max_page_points:
            raise ExtractionError(
                "page_too_large",
                f"page {index + 1} measures {width:g} x {height:g} points, "
                f"over the cap of {self.limits.max_page_points:g}",
            )
        pixels = math.ceil(width * dpi / 72) * math.ceil(height * dpi / 72)
        if pixels > self.limits.max_pixels:
            raise ExtractionError(
                "page_too_large",
                f"page {index + 1} would be {pixels} pixels at {dpi} dpi, over the cap of {self.limits.max_pixels}",
            )
        self._check_images(index)
        if shutil.which("pdftoppm"):
            raster = _render_with_pdftoppm(self._data, index, dpi, gray, pixels, self.deadline)
            with _parser_errors(f"page {index + 1} could not be rendered"):
                image = Image.open(io.BytesIO(raster))
                image.load()
            return image
        return _render_with_pdfium(self._data, index, dpi, gray)

    def _check_images(self, index: int) -> None:
        """Refuse a page whose images declare too many pixels, before a renderer decodes them.

        A JBIG2 or CCITT image of a few hundred bytes can declare 60,000 x
        60,000 pixels; pdftoppm decodes it whole (minutes, gigabytes) even to
        draw a small page.  The images of the page and of the forms it draws
        are read from their dictionaries, each form once.
        """
        page, inherited = self._pages[index]
        total, seen = 0, set()
        pending = [page.get("/Resources") or inherited.get("/Resources")]
        while pending:
            resources = _resolved(pending.pop())
            xobjects = _resolved(resources.get("/XObject")) if hasattr(resources, "get") else None
            if not hasattr(xobjects, "values"):
                continue
            for reference in list(xobjects.values()):
                xobject = _resolved(reference)
                identity = _identity(reference, xobject)
                if identity in seen or not hasattr(xobject, "get"):
                    continue
                seen.add(identity)
                if len(seen) > MAX_STREAMS_PER_PAGE:
                    raise ExtractionError(
                        "inflate_limit", f"page {index + 1} draws more than {MAX_STREAMS_PER_PAGE} images and forms"
                    )
                if xobject.get("/Subtype") == "/Form":
                    pending.append(xobject.get("/Resources"))
                    continue
                width, height = _resolved(xobject.get("/Width")), _resolved(xobject.get("/Height"))
                if isinstance(width, int) and isinstance(height, int):
                    total += max(width, 0) * max(height, 0)
                cap = IMAGE_PIXELS_PER_RENDER_PIXEL * self.limits.max_pixels
                if total > cap:
                    raise ExtractionError(
                        "image_too_large",
                        f"the images of page {index + 1} declare {total} pixels, over the cap of {cap}",
                    )

    def page_size(self, index: int) -> tuple[float, float]:
        """Width and height in points of the visible (crop) box, UserUnit applied."""
        page, inherited = self._pages[index]
        with _parser_errors(f"page {index + 1} has an invalid page box"):
            media = _box(page.get("/MediaBox") or inherited.get("/MediaBox")) or _DEFAULT_PAGE_BOX
            crop = _box(page.get("/CropBox") or inherited.get("/CropBox")) or media
            unit = float(_resolved(page.get("/UserUnit")) or 1)
        left, right = max(crop[0], media[0]), min(crop[2], media[2])
        bottom, top = max(crop[1], media[1]), min(crop[3], media[3])
        return max(right - left, 0) * unit, max(top - bottom, 0) * unit

    def page_rotation(self, index: int) -> int:
        """The page's /Rotate: degrees clockwise a viewer turns it by (0, 90, 180, 270)."""
        page, inherited = self._pages[index]
        try:
            degrees = int(_resolved(page.get("/Rotate", inherited.get("/Rotate"))) or 0)
        except (TypeError, ValueError):
            return 0
        return degrees % 360 if degrees % 90 == 0 else 0

    def _open_plumber(self):
        if self._plumber is None:
            import pdfplumber

            self._plumber = pdfplumber.open(io.BytesIO(self._data), password="")
        return self._plumber

    def _attachment_streams(self) -> Iterator[tuple[str, object]]:
        catalog = _resolved(self._reader.trailer.get("/Root"))
        names = _resolved(catalog.get("/Names")) if catalog is not None else None
        filespecs = []
        if names is not None:
            filespecs += _name_tree_values(names.get("/EmbeddedFiles"), self.deadline, "attachment list")
        if catalog is not None:
            filespecs += [(None, spec) for spec in _resolved(catalog.get("/AF")) or []]
        for page, _inherited in self._pages:
            for annotation in _resolved(page.get("/Annots")) or []:
                annotation = _resolved(annotation)
                if annotation is not None and annotation.get("/Subtype") == "/FileAttachment":
                    filespecs.append((_text(annotation.get("/Contents")), annotation.get("/FS")))
        seen = set()
        for key, spec in filespecs:
            spec = _resolved(spec)
            if not hasattr(spec, "get"):
                continue
            holder = _resolved(spec.get("/EF"))
            if holder is None:
                continue
            reference = holder.get("/UF") or holder.get("/F")
            stream = _resolved(reference)
            identity = (reference.idnum, reference.generation) if hasattr(reference, "idnum") else id(stream)
            if stream is None or not hasattr(stream, "get_data") or identity in seen:
                continue
            seen.add(identity)
            name = _text(spec.get("/UF")) or _text(spec.get("/F")) or key or f"attachment-{len(seen)}"
            yield name, stream


def _check_content_size(page_entry, number: int, stream_sizes: dict[int, int]) -> tuple[int, int, int]:
    """Refuse a page whose drawing instructions (its content streams and forms) would keep a reader for minutes.

    Read on pypdf's objects (``page_entry`` is a ``_page_leaves`` item),
    already parsed when the file was opened, so the check costs no second
    parser: pdfminer opens only for pages it reads.  Returns ``(bytes,
    streams, depth)``: how much drawing the page holds, within the caps,
    and how deep its forms nest (1: forms drawn by the page; 2 and more:
    forms drawing forms).
    """
    page, inherited = page_entry
    total, seen, holders, deepest = 0, set(), set(), 0
    contents = _as_list(page.get("/Contents"))
    if len(contents) > MAX_STREAMS_PER_PAGE:
        raise _too_many_streams(number)
    pending = [(stream, 0) for stream in contents]
    resources = [(_page_resources(page_entry), 0)]
    while pending or resources:
        if resources:
            reference, depth = resources.pop()
            holder = _resolved(reference)
            if not hasattr(holder, "get") or _identity(reference, holder) in holders:  # shared resources: once
                continue
            holders.add(_identity(reference, holder))
            xobjects = _resolved(holder.get("/XObject")) if depth <= _MAX_TREE_DEPTH else None
            if isinstance(xobjects, dict):
                if len(pending) + len(xobjects) > MAX_STREAMS_PER_PAGE:
                    raise _too_many_streams(number)
                pending += [(xobject, depth + 1) for xobject in xobjects.values()]
            continue
        reference, depth = pending.pop()
        stream = _resolved(reference)
        if not hasattr(stream, "get_data") or _resolved(stream.get("/Subtype")) == "/Image":
            continue
        number_of_stream = _stream_number(reference, stream)
        if number_of_stream in seen:
            continue
        seen.add(number_of_stream)
        deepest = max(deepest, depth)
        if len(seen) > MAX_STREAMS_PER_PAGE:
            raise _too_many_streams(number)
        total += stream_sizes.get(number_of_stream, 0)
        if total > MAX_CONTENT_BYTES_PER_PAGE:
            raise ExtractionError(
                "inflate_limit",
                f"page {number} has over {MAX_CONTENT_BYTES_PER_PAGE} bytes of drawing instructions, "
                "over the per-page cap",
            )
        resources.append((stream.get("/Resources"), depth))
    return total, len(seen), deepest


def _stream_number(reference, stream) -> int | None:
    """The object number of a stream (the key of ``_check_inflated_sizes``' sizes), from its reference or itself."""
    number = getattr(reference, "idnum", None)
    if number is None:
        number = getattr(getattr(stream, "indirect_reference", None), "idnum", None)
    return number


def _page_resources(page_entry):
    """A page's resource dictionary, its own or inherited from the page tree."""
    page, inherited = page_entry
    return page.get("/Resources") or inherited.get("/Resources")


_SIMPLE_FONTS = ("/TrueType", "/Type1", "/MMType1", "/Type3")


def _guessed_unicode(page_entry) -> bool:
    """Whether a simple font of the page has no Unicode map (no ``ToUnicode``, no ``Encoding``): pdfium guesses.

    pdfminer then maps the glyphs through the standard encoding; pdfium
    through the font program's own tables, which a subset font may fill
    otherwise ("Ä" for "€", "fl" for "ß").  Fonts of forms are not looked at.
    """
    resources = _resolved(_page_resources(page_entry))
    fonts = _resolved(resources.get("/Font")) if hasattr(resources, "get") else None
    if not isinstance(fonts, dict):
        return False
    for font in list(fonts.values())[:200]:
        font = _resolved(font)
        if not isinstance(font, dict):
            continue
        subtype = _resolved(font.get("/Subtype"))
        if subtype in _SIMPLE_FONTS and font.get("/ToUnicode") is None and font.get("/Encoding") is None:
            return True
    return False


def _too_many_streams(number: int) -> ExtractionError:
    return ExtractionError(
        "inflate_limit",
        f"page {number} draws from more than {MAX_STREAMS_PER_PAGE} content streams and forms, over the per-page cap",
    )


def _lay_out_within_budget(page, deadline: Deadline) -> None:
    """Run pdfminer's layout for a pdfplumber page within a work budget, and hand the result to the page.

    pdfplumber caches the layout in ``page._layout``; filling that cache
    ourselves is the one way to bound pdfminer's work on a page from inside.
    """
    aggregator_class, interpreter_class = _budgeted_pdfminer_classes()
    device = aggregator_class(page.pdf.rsrcmgr, pageno=page.page_number, laparams=page.pdf.laparams, deadline=deadline)
    interpreter_class(page.pdf.rsrcmgr, device).process_page(page.page_obj)
    page._layout = device.get_result()


@functools.cache
def _budgeted_pdfminer_classes():
    """pdfplumber's layout device and pdfminer's interpreter, counting the work done on one page.

    Drawn glyphs, shapes and XObjects spend the page's budgets
    (MAX_LAYOUT_OBJECTS_PER_PAGE, _MAX_XOBJECT_INVOCATIONS_PER_PAGE); every
    few thousand operations the deadline is checked.  Overridden ``do_*``
    methods keep their arity: pdfminer pops as many operands as they take.
    """
    from pdfminer.pdfinterp import PDFPageInterpreter
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent

    class BudgetedAggregator(PDFPageAggregatorWithMarkedContent):
        def __init__(self, *args, deadline: Deadline, **kwargs):
            super().__init__(*args, **kwargs)
            self.deadline = deadline
            self.drawn = 0
            self.operations = 0
            self.invocations = 0

        def spend(self) -> None:
            self.drawn += 1
            if self.drawn > MAX_LAYOUT_OBJECTS_PER_PAGE:
                raise ExtractionError(
                    "inflate_limit",
                    f"page {self.pageno} draws more than {MAX_LAYOUT_OBJECTS_PER_PAGE} characters and shapes",
                )
            self.tick()

        def invoke(self) -> None:
            self.invocations += 1
            if self.invocations > _MAX_XOBJECT_INVOCATIONS_PER_PAGE:
                raise ExtractionError(
                    "inflate_limit",
                    f"page {self.pageno} draws more than {_MAX_XOBJECT_INVOCATIONS_PER_PAGE} images and forms",
                )
            self.spend()

        def tick(self) -> None:
            self.operations += 1
            if self.operations % _DEADLINE_CHECK_EVERY == 0:
                self.deadline.check("PDF text extraction")

        def render_char(self, *args, **kwargs):
            self.spend()
            return super().render_char(*args, **kwargs)

        def paint_path(self, *args, **kwargs):
            self.spend()
            return super().paint_path(*args, **kwargs)

        def render_image(self, *args, **kwargs):
            self.spend()
            return super().render_image(*args, **kwargs)

    class BudgetedInterpreter(PDFPageInterpreter):
        def push(self, obj) -> None:
            self.device.tick()
            super().push(obj)

        def do_q(self) -> None:
            self.device.tick()
            if len(self.gstack) < _MAX_GRAPHICS_STATE_DEPTH:
                super().do_q()

        def do_Do(self, xobjid_arg) -> None:
            self.device.invoke()
            super().do_Do(xobjid_arg)

    return BudgetedAggregator, BudgetedInterpreter


def _scanner_text_layer(page, deadline: Deadline) -> bool:
    """Whether a pypdfium2 page is a scan whose text a scanner's OCR laid over it, invisible.

    Scanners and their software draw the scanned image over the whole page
    and put what their OCR read under or over it in render mode 3 (text
    that paints nothing), so the page can be searched: that text is only as
    good as the scanner's OCR.  Such a page draws no visible text at all,
    and images cover ``SCAN_IMAGE_SHARE`` of it.  The page's objects (and
    those of the forms it draws, ``_MAX_FORM_DEPTH`` deep) are looked at
    from their dictionaries and positions only, no image decoded, at most
    ``MAX_LAYOUT_OBJECTS_PER_PAGE`` of them; a text PDF is told at its
    first visible text object.
    """
    import ctypes

    import pypdfium2.raw as pdfium_c

    area = page.get_width() * page.get_height()
    handle = page.raw
    pending = [(pdfium_c.FPDFPage_CountObjects(handle), functools.partial(pdfium_c.FPDFPage_GetObject, handle), 0)]
    seen, invisible, covered = 0, 0, 0.0
    box = [ctypes.c_float() for _ in range(4)]
    while pending:
        count, get, depth = pending.pop()
        for number in range(count):
            seen += 1
            if seen > MAX_LAYOUT_OBJECTS_PER_PAGE:
                return False
            if seen % _DEADLINE_CHECK_EVERY == 0:
                deadline.check("PDF text extraction")
            item = get(number)
            kind = pdfium_c.FPDFPageObj_GetType(item)
            if kind == pdfium_c.FPDF_PAGEOBJ_TEXT:
                if pdfium_c.FPDFTextObj_GetTextRenderMode(item) not in _INVISIBLE_TEXT_MODES:
                    return False
                invisible += 1
            elif kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and pdfium_c.FPDFPageObj_GetBounds(item, *box):
                left, bottom, right, top = (value.value for value in box)
                covered += max(right - left, 0.0) * max(top - bottom, 0.0)
            elif kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < _MAX_FORM_DEPTH:
                form = functools.partial(pdfium_c.FPDFFormObj_GetObject, item)
                pending.append((pdfium_c.FPDFFormObj_CountObjects(item), form, depth + 1))
    return invisible > 0 and area > 0 and covered >= SCAN_IMAGE_SHARE * area


def _check_envelope(data: bytes) -> None:
    """Refuse what is not a whole PDF before any parser gets to guess."""
    if b"%PDF-" not in data[:1024]:
        raise ExtractionError("corrupt_pdf", "the file does not start like a PDF")
    if data.rfind(b"%%EOF") == -1:
        raise ExtractionError("corrupt_pdf", "the PDF has no end-of-file marker: it is truncated")


def _open_reader(data: bytes):
    from pypdf import PasswordType, PdfReader

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        try:
            opened = reader.decrypt("")
        except Exception as exc:  # unknown security handler, missing crypto backend
            raise ExtractionError("encrypted_pdf", f"the PDF is encrypted in a way we cannot open: {exc}") from exc
        if opened == PasswordType.NOT_DECRYPTED:
            raise ExtractionError("encrypted_pdf", "the PDF is password protected; ask the supplier for an open copy")
    return reader


def _page_leaves(reader, max_pages: int, deadline: Deadline) -> list[tuple[object, dict]]:
    """The page dictionaries in order with their inherited boxes, stopping as soon as there are too many.

    The declared /Count is checked first (free); the walk re-checks the
    real number, since /Count may lie, and guards against cycles.
    """
    catalog = _resolved(reader.trailer.get("/Root"))
    root = _resolved(catalog.get("/Pages")) if hasattr(catalog, "get") else None
    if not hasattr(root, "get"):
        raise ExtractionError("corrupt_pdf", "the PDF has no page tree")
    declared = _resolved(root.get("/Count"))
    if isinstance(declared, int) and declared > max_pages:
        raise _too_many_pages(declared, max_pages)
    leaves, seen = [], set()
    stack = [(root, {}, 0)]
    while stack:
        node, inherited, depth = stack.pop()
        if id(node) in seen or depth > _MAX_TREE_DEPTH or not hasattr(node, "get"):
            continue
        seen.add(id(node))
        inherited = {
            **inherited,
            **{k: node[k] for k in ("/MediaBox", "/CropBox", "/Resources", "/Rotate") if k in node},
        }
        kids = _resolved(node.get("/Kids"))
        if node.get("/Type") == "/Pages" or (kids is not None and node.get("/Type") != "/Page"):
            stack += [(_resolved(kid), inherited, depth + 1) for kid in reversed(kids or [])]
            continue
        leaves.append((node, inherited))
        contents = _resolved(node.get("/Contents"))
        if isinstance(contents, list) and len(contents) > MAX_STREAMS_PER_PAGE:
            raise _too_many_streams(len(leaves))
        if len(leaves) > max_pages:
            raise _too_many_pages(f"more than {max_pages}", max_pages)
        if len(leaves) % 100 == 0:
            deadline.check("reading the PDF page tree")
    if not leaves:
        raise ExtractionError("corrupt_pdf", "the PDF has no pages")
    return leaves


def _too_many_pages(count, max_pages: int) -> ExtractionError:
    return ExtractionError("too_many_pages", f"the PDF has {count} pages, over the cap of {max_pages}")


def _check_inflated_sizes(reader, data: bytes, limits: Limits, deadline: Deadline) -> dict[int, int]:
    """Inflate, without keeping, every stream a reader may inflate; refuse once the total passes the cap.

    That is every stream but images (never decoded for text) and attached
    files (checked when they are read), including object and xref streams.
    An object whose bytes cannot hold a stream (``_plainly_not_a_stream``)
    is not parsed: most of a PDF's objects are small dictionaries, and
    parsing them all was most of this check's cost.  Returns the decoded
    size of each stream by object number, for the per-page check of
    drawing instructions.
    """
    from pypdf.generic import IndirectObject

    budget, sizes, object_streams = limits.max_inflated_bytes, {}, 0
    offsets = sorted({offset for table in reader.xref.values() for offset in table.values() if isinstance(offset, int)})
    skipped, streams = 0, 0
    for generation, table in list(reader.xref.items()):
        for number in list(table):
            deadline.check("checking the PDF streams")
            if _plainly_not_a_stream(data, table[number], number, generation, offsets):
                skipped += 1
                continue
            try:
                obj = reader.get_object(IndirectObject(number, generation, reader))
            except (ExtractionError, MemoryError):
                raise
            except Exception as exc:
                if type(exc).__name__ == "LimitReachedError":
                    raise
                continue  # an object pypdf cannot read is one pdfminer cannot read either
            if not hasattr(obj, "get_data"):
                continue
            streams += 1
            if _resolved(obj.get("/Subtype")) == "/Image" or _resolved(obj.get("/Type")) == "/EmbeddedFile":
                continue
            try:
                sizes[number] = _decoded_size(obj, budget, deadline, f"stream {number}")
            except (ExtractionError, MemoryError):
                raise
            except Exception as exc:  # a damaged ASCII85 or LZW stream: pdfminer skips it, so do we
                if type(exc).__name__ == "LimitReachedError":
                    raise
                sizes[number] = len(obj._data)
            budget -= sizes[number]
            if _resolved(obj.get("/Type")) == "/ObjStm":
                object_streams += sizes[number]
                _check_object_stream(number, sizes[number], object_streams)
    if skipped and data.count(b"stream") - data.count(b"endstream") > streams:
        # a "stream" keyword no parsed object accounts for: an object may hide another's header; read them all
        return _check_inflated_sizes(reader, b"", limits, deadline)
    return sizes


_OBJECT_HEADER = re.compile(rb"(\d+)[ \t\r\n\f\0]+(\d+)[ \t\r\n\f\0]+obj")


def _plainly_not_a_stream(data: bytes, offset, number: int, generation: int, offsets: list[int]) -> bool:
    """Whether the object at ``offset`` surely is no stream, read from its raw bytes without parsing it.

    True only when the bytes at ``offset`` are this object's own header
    (so pypdf reads the object there, no repair) and the bytes up to the
    next object's offset hold no ``stream`` keyword, no string and no
    comment.  Without strings and comments nothing can hide the next
    object's header "N G obj": a dictionary running past it would meet a
    bare ``obj``, which no parser reads as a value, so the object's
    ``stream`` keyword, if any, would lie before the next object.  Anything
    else is parsed, as before.
    """
    if not isinstance(offset, int) or offset < 0:
        return False
    header = _OBJECT_HEADER.match(data, offset)
    if header is None or int(header.group(1)) != number or int(header.group(2)) != generation:
        return False
    following = bisect.bisect_right(offsets, offset)
    end = offsets[following] if following < len(offsets) else len(data)
    start = header.end()
    return all(data.find(marker, start, end) == -1 for marker in (b"stream", b"(", b"%"))


def _check_object_stream(number: int, size: int, total: int) -> None:
    """Refuse object streams that would keep pdfminer parsing for minutes (it parses one whole, unwatched)."""
    if size > MAX_OBJECT_STREAM_BYTES:
        raise ExtractionError(
            "inflate_limit",
            f"object stream {number} of the PDF holds {size} bytes of objects, over the cap of "
            f"{MAX_OBJECT_STREAM_BYTES}",
        )
    if total > MAX_OBJECT_STREAMS_BYTES:
        raise ExtractionError(
            "inflate_limit",
            f"the PDF's object streams hold over {MAX_OBJECT_STREAMS_BYTES} bytes of objects, over the cap",
        )


def _decoded_size(stream, budget: int, deadline: Deadline, what: str) -> int:
    """Decoded length of ``stream`` through its filter chain, refusing to produce more than ``budget`` bytes."""
    from pypdf import filters as pypdf_filters

    data = stream._data  # the raw (already decrypted) bytes: get_data() would inflate without a cap
    names, parameters = _as_list(stream.get("/Filter")), _as_list(stream.get("/DecodeParms"))
    for position, raw_name in enumerate(names):
        name = _FILTER_ALIASES.get(str(_resolved(raw_name)), str(_resolved(raw_name)))
        last = position == len(names) - 1
        if name in _IMAGE_FILTERS:
            return len(data)
        if name == "/FlateDecode":
            inflated = _inflate(data, budget, deadline, what, keep=not last)
            if last:
                return inflated
            data = inflated
        elif name == "/ASCIIHexDecode":
            data = pypdf_filters.ASCIIHexDecode.decode(data)
        elif name == "/ASCII85Decode":
            data = pypdf_filters.ASCII85Decode.decode(data)
        elif name == "/LZWDecode":
            stage_parameters = _resolved(parameters[position]) if position < len(parameters) else None
            data = pypdf_filters.LZWDecode.decode(data, stage_parameters)
        elif name == "/RunLengthDecode":
            data = pypdf_filters.RunLengthDecode.decode(data)
        elif name != "/Crypt":
            return len(data)  # an unknown filter: pdfminer leaves the bytes as they are
        if len(data) > budget:
            raise _inflate_error(what, budget)
    return len(data)


def _inflate(data: bytes, budget: int, deadline: Deadline, what: str, keep: bool):
    """zlib-inflate at most ``budget`` bytes, a chunk at a time; return the bytes (``keep``) or their count.

    Corrupt data ends the count quietly: pdfminer then reads what inflates,
    which is what was counted.
    """
    inflater = zlib.decompressobj()
    produced, parts = 0, []
    try:
        for start in range(0, len(data), _INFLATE_INPUT_CHUNK):
            pending = data[start : start + _INFLATE_INPUT_CHUNK]
            while pending:
                chunk = inflater.decompress(pending, _INFLATE_OUTPUT_CHUNK)
                pending = inflater.unconsumed_tail
                produced += len(chunk)
                if produced > budget:
                    raise _inflate_error(what, budget)
                if keep:
                    parts.append(chunk)
            if inflater.eof:
                break
            deadline.check("inflating PDF streams")
    except zlib.error:
        pass
    return b"".join(parts) if keep else produced


def _inflate_error(what: str, budget: int) -> ExtractionError:
    return ExtractionError(
        "inflate_limit", f"{what} of the PDF inflates past what is left of the {budget}-byte inflate cap"
    )


def _render_with_pdftoppm(data: bytes, index: int, dpi: int, gray: bool, pixels: int, deadline: Deadline) -> bytes:
    """Rasterise one page in a child process: a crash, a memory blow-up or a hang stays there."""
    timeout = deadline.remaining()
    if timeout <= 0:
        deadline.check("rendering a PDF page")
    command = ["pdftoppm", "-f", str(index + 1), "-l", str(index + 1), "-r", str(dpi), "-cropbox"]
    command += ["-gray", "-"] if gray else ["-"]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _cap_child_memory(process.pid, _RENDER_MEMORY_BASE + _RENDER_BYTES_PER_PIXEL * pixels)
    try:
        raster, errors = process.communicate(data, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        process.kill()
        process.communicate()
        message = f"rendering page {index + 1} exceeded the {deadline.seconds:g} s time cap"
        raise ExtractionError("timeout", message) from exc
    if process.returncode < 0 or b"memory" in errors.lower():
        raise ExtractionError("page_too_large", f"rendering page {index + 1} needed more memory than allowed")
    if process.returncode != 0 or not raster:
        detail = errors.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no image produced"]
        raise ExtractionError("corrupt_pdf", f"page {index + 1} could not be rendered: {detail[0]}")
    return raster


def _cap_child_memory(pid: int, limit: int) -> None:
    """Set the address-space rlimit of the child before it reads its input (it waits for stdin's end)."""
    if not hasattr(resource, "prlimit"):
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.prlimit(pid, resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError):
        pass  # the child already exited; communicate() reports how


def unmapped_glyph_ratio(text: str) -> float:
    """Share of a page's characters that are unmapped glyphs ("(cid:N)").

    pdfplumber prints those for a font without a Unicode map: past
    ``UNMAPPED_GLYPH_RATIO`` the page's text must be read another way.
    """
    if not text:
        return 0.0
    return sum(len(m.group(0)) for m in _CID_GLYPH.finditer(text)) / len(text)


def _render_with_pdfium(data: bytes, index: int, dpi: int, gray: bool):
    """In-process fallback when poppler-utils is missing (pypdfium2 comes with pdfplumber)."""
    try:
        import pypdfium2
    except ImportError as exc:
        raise ExtractionError("ocr_unavailable", "neither pdftoppm (poppler-utils) nor pypdfium2 is installed") from exc
    with _parser_errors(f"page {index + 1} could not be rendered"):
        document = pypdfium2.PdfDocument(data, password="")
        try:
            return document[index].render(scale=dpi / 72, grayscale=gray).to_pil()
        finally:
            document.close()


def _name_tree_values(root, deadline: Deadline, what: str) -> list[tuple[str | None, object]]:
    """(key, value) pairs of a PDF name tree, leaves in order; each node is read once (see ``_tree_nodes``)."""
    pairs = []
    for node in _tree_nodes(root, deadline, what):
        flat = _resolved(node.get("/Names")) or []
        for position in range(0, len(flat) - 1, 2):
            pairs.append((_text(flat[position]), flat[position + 1]))
    return pairs


def _tree_nodes(root, deadline: Deadline, what: str, strict: bool = False) -> Iterator[dict]:
    """The nodes of a /Kids tree (name, number, page tree), depth first in order, each once.

    A node listed twice (a loop, or a kid shared by two parents) is read
    the first time only; ``strict`` refuses it instead, for a tree a library
    will walk again without a visited set.  More than ``_MAX_TREE_NODES``
    nodes or ``_MAX_TREE_DEPTH`` levels is refused, and the deadline is
    checked as the walk goes: a 700-byte file must not buy 2^64 steps.
    """
    seen, count = set(), 0
    stack = [(root, 0)]
    while stack:
        reference, depth = stack.pop()
        node = _resolved(reference)
        if not hasattr(node, "get"):
            continue
        identity = _identity(reference, node)
        if identity in seen:
            if strict:
                raise ExtractionError("corrupt_pdf", f"the PDF's {what} lists a node twice (a loop or a shared branch)")
            continue
        seen.add(identity)
        count += 1
        if count > _MAX_TREE_NODES or depth > _MAX_TREE_DEPTH:
            raise ExtractionError(
                "corrupt_pdf",
                f"the PDF's {what} has more than {_MAX_TREE_NODES} nodes or {_MAX_TREE_DEPTH} levels",
            )
        if count % 100 == 0:
            deadline.check(f"reading the PDF's {what}")
        yield node
        kids = _resolved(node.get("/Kids"))
        if isinstance(kids, list):
            stack += [(kid, depth + 1) for kid in reversed(kids)]


def _identity(reference, node) -> tuple:
    """What makes two mentions of a PDF object the same object: its number, else the parsed object itself."""
    if hasattr(reference, "idnum"):
        return ("ref", reference.idnum, reference.generation)
    reference = getattr(node, "indirect_reference", None)
    if reference is not None:
        return ("ref", reference.idnum, reference.generation)
    return ("direct", id(node))


def _check_library_walks(reader, deadline: Deadline) -> None:
    """Refuse the structures pdfminer and pdfplumber walk on opening without a visited set.

    pdfminer reads the page-label number tree (/PageLabels) before the first
    page by plain recursion, and pdfplumber resolves every value of the
    document information dictionary the same way: a node listed twice,
    forty levels deep, is 2^40 steps for them.  A tree here must be a tree,
    and the information dictionary's values are counted path by path, as
    pdfplumber will walk them, up to ``_MAX_INFO_VALUES``.
    """
    catalog = _resolved(reader.trailer.get("/Root"))
    if hasattr(catalog, "get") and catalog.get("/PageLabels") is not None:
        for _node in _tree_nodes(catalog.get("/PageLabels"), deadline, "page labels", strict=True):
            pass
    visits, stack = 0, [(reader.trailer.get("/Info"), 0)]
    while stack:
        value, depth = stack.pop()
        value = _resolved(value)
        visits += 1
        if visits > _MAX_INFO_VALUES or depth > _MAX_TREE_DEPTH:
            raise ExtractionError(
                "corrupt_pdf", "the PDF's document information nests dictionaries into each other without end"
            )
        if isinstance(value, dict):
            stack += [(item, depth + 1) for item in value.values()]
        elif isinstance(value, list):
            stack += [(item, depth + 1) for item in value]


def _box(value) -> tuple[float, float, float, float] | None:
    value = _resolved(value)
    if value is None:
        return None
    x0, y0, x1, y1 = (float(_resolved(v)) for v in value)
    return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


def _as_list(value) -> list:
    """A PDF value that may be one item or an array of them, as a list."""
    value = _resolved(value)
    return [] if value is None else list(value) if isinstance(value, list) else [value]


def _resolved(value):
    return value.get_object() if hasattr(value, "get_object") else value


def _text(value) -> str | None:
    value = _resolved(value)
    if isinstance(value, bytes):
        value = value.decode("latin-1")
    return str(value) if isinstance(value, str) and value else None


@contextmanager
def _parser_errors(message: str):
    """Turn whatever a parser raises on garbage into ``corrupt_pdf`` (pypdf's inflate caps into ``inflate_limit``)."""
    try:
        yield
    except (ExtractionError, ImportError):
        raise  # ours, or a broken installation: not the file's fault
    except MemoryError as exc:
        raise ExtractionError("memory_limit", f"{message}: it needs more memory than is allowed") from exc
    except Exception as exc:
        if type(exc).__name__ == "LimitReachedError" and "decompress" in str(exc).lower():
            raise ExtractionError("inflate_limit", f"{message}: {exc}") from exc
        if type(exc).__name__ in ("PDFPasswordIncorrect", "PDFEncryptionError", "FileNotDecryptedError"):
            raise ExtractionError("encrypted_pdf", f"the PDF is password protected ({exc})") from exc
        raise ExtractionError("corrupt_pdf", f"{message}: {type(exc).__name__}: {exc}") from exc


def positioned_words(data: bytes, indexes: list[int], deadline: Deadline, texts: list[str] | None = None) -> dict:
    """The words of the text layer of the given 0-based pages, with their boxes (``layout.Word``).

    Read from pdfium's character boxes: no layout analysis, so it costs a
    fraction of pdfminer's text extraction.  Call it on a ``PdfDocument``
    that passed its checks (page count, inflate budget, and ``pages_text``,
    whose per-page ``texts`` it takes): where pdfium's characters disagree
    with that text (a font whose Unicode map pdfium reads otherwise, "Ä"
    for "€"), the page's words come from pdfminer's characters instead.  A
    page neither can read gives no words; the caller reads it otherwise.
    Returns {page index: [Word, ...]}.
    """
    import pypdfium2

    from .layout import pdfium_page_words, plumber_page_words, same_characters

    words: dict[int, list] = {}
    disagree = []
    with _parser_errors("the PDF text layer cannot be read"):
        document = pypdfium2.PdfDocument(data, password="")
    try:
        for index in indexes:
            deadline.check("PDF text extraction")
            try:
                page = document[index]
                try:
                    words[index] = pdfium_page_words(page, index)
                finally:
                    page.close()
            except Exception:  # pdfium's errors on a broken page: the page just has no positioned words
                words[index] = []
            if texts is not None and not same_characters(words[index], texts[index]):
                disagree.append(index)
    finally:
        document.close()
    if disagree:
        import pdfplumber

        try:
            with pdfplumber.open(io.BytesIO(data)) as plumber:
                for index in disagree:
                    deadline.check("PDF text extraction")
                    page = plumber.pages[index]
                    try:
                        words[index] = plumber_page_words(page, index)
                    finally:
                        page.close()
        except ExtractionError:
            raise
        except Exception:  # pdfminer read these pages once already (pages_text); keep pdfium's words then
            pass
    return words
