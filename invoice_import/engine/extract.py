"""The one entry point: bytes of a supplier file in, pivot invoices out.

The order of preference is fixed and documented in the README:
structured data embedded in the file (Factur-X/ZUGFeRD/UBL) beats a
supplier's own format (CSV column map, PDF template), which beats the
template-free extractor.  Scans go through OCR and then through the very
same text extractors, so a template written for a supplier's PDFs also
serves its scanned paper invoices.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import checks
from . import sniff as sniffing
from .errors import ExtractionError
from .limits import Deadline, Limits, check_file_size
from .pivot import Invoice

# A page with fewer characters than this is treated as a scan and OCRed.
MIN_TEXT_CHARS_PER_PAGE = 20


@dataclass
class ExtractionResult:
    invoices: list[Invoice] = field(default_factory=list)
    kind: str = sniffing.UNKNOWN


def extract_bytes(
    data: bytes,
    filename: str | None = None,
    formats: list | None = None,
    ignore_embedded_xml: bool = False,
    limits: Limits | None = None,
    allow_ocr: bool = True,
    buyer=None,
) -> ExtractionResult:
    """Extract every invoice in ``data``; raise ExtractionError when none can be read.

    ``allow_ocr=False`` raises ``needs_ocr`` instead of running tesseract (an
    image; a PDF with a page without text and no embedded e-invoice), before
    any OCR work: a mail intake uses it to stay quick and leave the reading
    to a scheduled job.  Everything else is read as usual.

    ``formats`` are ``formats.SupplierFormat`` objects: the supplier's own
    formats first.  A single PDF template is applied even when its keywords
    are missing (the supplier's mail said it is theirs), with a warning saying
    so; among several, the one whose keywords match is used.

    ``buyer`` (a ``pivot.Party``: the receiving company's own name and VAT
    number) tells the template-free reader which party is not the supplier.
    """
    limits = limits or Limits()
    formats = list(formats or [])
    check_file_size(data, limits)
    _forget_line_memos()
    try:
        return _extract(data, filename, formats, ignore_embedded_xml, limits, allow_ocr, buyer)
    except MemoryError:  # the caps failed to foresee it: a clean failure all the same (sandbox.py makes it likely)
        raise ExtractionError("memory_limit", "reading the file needed more memory than is available") from None


def _forget_line_memos() -> None:
    """Each document starts with empty per-line memos: memory stays one document's, and no file is read faster
    because another printed the same lines (a bench reading the corpus twice measures the reader, not a cache)."""
    from .freeform.amounts import forget_lines as forget_amounts
    from .freeform.labels import forget_lines as forget_labels
    from .values import forget_lines as forget_dates

    forget_amounts()
    forget_labels()
    forget_dates()


def _extract(data, filename, formats, ignore_embedded_xml, limits, allow_ocr, buyer) -> ExtractionResult:
    deadline = Deadline(limits.max_seconds)
    kind = sniffing.sniff(data, filename)
    if kind == sniffing.PDF:
        invoices = _extract_pdf(data, formats, ignore_embedded_xml, limits, deadline, allow_ocr, buyer)
    elif kind == sniffing.XML:
        from .einvoice import parse_einvoice_xml

        invoices = parse_einvoice_xml(data, limits=limits, source="xml")
    elif kind == sniffing.IMAGE:
        if not allow_ocr:
            raise ExtractionError("needs_ocr", "the file is an image: its text can only be read by OCR")
        from .reading import image_layout

        layout = image_layout(data, limits=limits, deadline=deadline)

        def read(layout):
            return _extract_text(layout.page_texts(), formats, source="ocr", layout=layout, buyer=buyer)

        invoice, layout = _checked_reading(read, layout, deadline)
        invoices = [invoice]
        _locate(invoices, layout)
    elif kind == sniffing.CSV:
        invoices = _extract_csv(data, formats, limits, deadline)
    else:
        raise ExtractionError(
            "unsupported_file",
            "the file is not a PDF, an XML e-invoice, a CSV or a supported image (PNG, JPEG, TIFF)",
        )
    for invoice in invoices:
        checks.screen(invoice)
    return ExtractionResult(invoices=invoices, kind=kind)


def extract_einvoice_xml(data: bytes, embedded: bool = False, limits: Limits | None = None) -> ExtractionResult:
    """An XML e-invoice already taken out of its file, read and screened as ``extract_bytes`` reads it.

    For the XML a host has already parsed itself (Odoo hands its decoder a
    Factur-X PDF's attachment as parsed XML): reading it again costs a
    millisecond, where sending the whole PDF to the reader process
    (``sandbox``) costs a fork and a second PDF parse.  ``embedded``: the
    XML came out of a PDF (source ``embedded-xml``, else ``xml``).  Raises
    ``ExtractionError`` like ``extract_bytes`` (an unsafe or unknown XML).
    """
    from .einvoice import parse_einvoice_xml

    limits = limits or Limits()
    check_file_size(data, limits)
    invoices = parse_einvoice_xml(data, limits=limits, source="embedded-xml" if embedded else "xml")
    for invoice in invoices:
        checks.screen(invoice)
    return ExtractionResult(invoices=invoices, kind=sniffing.XML)


def extract_file(path, **kwargs) -> ExtractionResult:
    from pathlib import Path

    path = Path(path)
    limits = kwargs.get("limits") or Limits()
    size = path.stat().st_size
    if size > limits.max_file_bytes:
        raise ExtractionError("file_too_large", f"the file has {size} bytes, over the cap of {limits.max_file_bytes}")
    return extract_bytes(path.read_bytes(), filename=path.name, **kwargs)


def _extract_pdf(data, formats, ignore_embedded_xml, limits, deadline, allow_ocr=True, buyer=None) -> list[Invoice]:
    from .pdf import open_pdf

    with open_pdf(data, limits=limits, deadline=deadline) as doc:
        warnings = []
        if not ignore_embedded_xml:
            embedded = _embedded_einvoice(doc, limits, warnings)
            if embedded:
                _locate(embedded, _text_layer_layout(doc, data, limits, deadline))
                return embedded
        # a supplier's template reads pdfminer's text; the template-free reader pdfium's words, and its text
        templated = any(f.kind == "pdf" for f in formats)
        pages = doc.pages_text() if templated else doc.pages_text_fast()
        warnings.extend(doc.warnings)
        deadline.check("PDF text extraction")
        scanned = [i for i, text in enumerate(pages) if len(text.strip()) < MIN_TEXT_CHARS_PER_PAGE]
        if scanned and not allow_ocr:
            raise ExtractionError(
                "needs_ocr", f"{len(scanned)} of the PDF's {len(pages)} pages have no text layer and need OCR"
            )
        from .reading import pdf_layout

        layout = pdf_layout(doc, data, scanned, limits=limits, deadline=deadline, texts=pages)
        if scanned and len(scanned) < len(pages):
            warnings.append(f"pages {', '.join(str(i + 1) for i in scanned)} had no text layer and were OCRed")

        def read(layout, ocred=scanned):
            texts = list(pages)
            laid_out = layout.page_texts()
            # pdfium's text in the layout's lines (one per printed line, cells apart), as the reader sees them
            for index in doc.fast_pages:
                if laid_out[index].strip():
                    texts[index] = laid_out[index]
            for index in ocred:
                texts[index] = laid_out[index]
            if not any(p.strip() for p in texts):
                raise ExtractionError("no_text", "no text could be read from the PDF, not even by OCR")
            source = "ocr" if len(ocred) == len(pages) else "pdf-text"
            return _extract_text(texts, formats, source=source, layout=layout, buyer=buyer)

        invoice, layout = _checked_reading(read, layout, deadline) if scanned else (read(layout), layout)
        scans = sorted(set(doc.scanner_pages()) - set(scanned)) if allow_ocr else []
        if scans:
            ocred = sorted(set(scanned) | set(scans))
            invoice, layout = _scanner_text_or_ocr(
                (invoice, layout),
                lambda: pdf_layout(doc, data, ocred, limits=limits, deadline=deadline, texts=pages),
                lambda layout: read(layout, ocred),
                deadline,
                warnings,
            )
        invoice.warnings[:0] = warnings
        _locate([invoice], layout)
        return [invoice]


def _scanner_text_or_ocr(first, ocr_layout, read, deadline: Deadline, warnings: list[str]) -> tuple[Invoice, object]:
    """(invoice, layout): a scan's reading from the text layer its scanner laid over it, or from our OCR of it.

    A scanner's OCR puts invisible text over the scanned image
    (``pdf._scanner_text_layer``); that text is only as good as the
    scanner's OCR, often worse than ours (a letterhead's name in pieces, a
    logo's read as noise).  The ``first`` reading (of the text layer) and
    a reading of the pages OCRed (``ocr_layout()``, read and read again as
    any scan, ``_checked_reading``) are both made; the one with more fields
    that check out (``checked_fields``) is kept, on a tie the one surer of
    its seller, else the text layer's.  What the kept one did not read is
    taken from the other (``_fill_unread``).  The text layer's reading
    stands alone when the pages cannot be OCRed (no tesseract, a page over
    the caps, no time left).
    """
    from .freeform.receipt import looks_like_receipt

    invoice, layout = first
    try:
        other, other_layout = _checked_reading(read, ocr_layout(), deadline)
    except ExtractionError as exc:
        warnings.append(f"a scanner's text layer was read as it is: {exc.message}")
        return first
    receipt = looks_like_receipt(layout.page_texts()) or looks_like_receipt(other_layout.page_texts())
    ours, theirs = checked_fields(other, receipt), checked_fields(invoice, receipt)
    surer = other.confidence.get("supplier.name", 0.0) > invoice.confidence.get("supplier.name", 0.0)
    if ours > theirs or (ours == theirs and surer):
        if ours > theirs:
            _keep_surer_seller(other, invoice)
        _fill_unread(other, invoice, receipt)
        warnings.append("the pages' text layer was a scanner's OCR: they were read by OCR again")
        return other, other_layout
    _fill_unread(invoice, other, receipt)
    return first


def _checked_reading(read, layout, deadline: Deadline) -> tuple[Invoice, object]:
    """(invoice, layout): the OCR'd document read, and read again where its values do not check out.

    ``read(layout)`` is the reader.  When the first reading leaves a field
    unchecked (``checked_fields``: no total its evidence confirms, no date,
    an invoice without a sure number), the OCR'd pages are read again: first
    only the printed lines tesseract skipped (``reading.recover_lost_lines``:
    a date under a dashed rule, a few bands read one by one), then the
    words tesseract was unsure of, each alone (``reading.reread_doubtful_words``:
    a few small images), then, unless that checks out, whole with each
    area's shading lifted
    (``reading.read_again``: a gray title or totals cell, a shadow).  The
    reading with more fields that check out is kept, the earlier on a tie.
    A page whose values check out is read once; no reading is tried when the
    deadline has less time left than the first reading took.  A field the
    kept reading lacks is taken from another reading that checked it
    (``_fill_unread``): two readings tie when each lost what the other read.
    """
    from .freeform.receipt import looks_like_receipt

    invoice = read(layout)
    _forget_line_memos()
    receipt = looks_like_receipt(layout.page_texts())
    first = checked_fields(invoice, receipt)
    if first == _wanted(receipt):
        return invoice, layout
    from .reading import read_again, recover_lost_lines, reread_doubtful_words

    best = (invoice, layout, first)
    readings = [invoice]
    for second_reading in (recover_lost_lines, reread_doubtful_words, read_again):
        if best[2] == _wanted(receipt) or deadline.remaining() < deadline.seconds - deadline.remaining():
            break
        try:
            again = second_reading(layout, deadline)
        except ExtractionError as exc:
            if exc.code != "timeout":
                raise
            break
        if again is None:
            continue
        other = read(again)
        _forget_line_memos()
        readings.append(other)
        checked = checked_fields(other, receipt)
        if checked > best[2]:
            _keep_surer_seller(other, invoice)
            best = (other, again, checked)
    for other in readings:
        if other is not best[0]:
            _fill_unread(best[0], other, receipt)
    return best[0], best[1]


def _fill_unread(chosen: Invoice, other: Invoice, receipt: bool) -> None:
    """Give ``chosen`` the issue date, sure number and seller it lacks where ``other``, a reading of one page, has them.

    Each reading of a scan can lose a different line (a number under a
    gray band in one, the date or a logo's name in the other): the kept one
    is the reading with more fields that check out, and what it did not
    read at all is taken from another reading that did, the number only
    when ``checked_fields`` would count it.  A value it read is never
    replaced.  A receipt's number is not taken (``checked_fields`` does not
    check it).  Changes ``chosen`` in place.
    """
    confidence = other.confidence or {}
    if not chosen.supplier.name and other.supplier.name:
        _take_seller(chosen, other)
    if chosen.issue_date is None and other.issue_date is not None:
        chosen.issue_date = other.issue_date
        if "issue_date" in confidence:
            chosen.confidence["issue_date"] = confidence["issue_date"]
    sure_number = bool(other.invoice_number) and confidence.get("invoice_number", 0.0) >= _SURE_NUMBER
    if not receipt and not chosen.invoice_number and sure_number:
        chosen.invoice_number = other.invoice_number
        chosen.confidence["invoice_number"] = confidence["invoice_number"]


def _keep_surer_seller(chosen: Invoice, first: Invoice) -> None:
    """The seller as the first reading read it, when the reader was surer of it there.

    The second reading wins on its totals, dates and number
    (``checked_fields``), which say nothing of the seller's name: lifting
    the shading can thin a logo's or a bold letterhead's strokes.
    """
    if first.confidence.get("supplier.name", 0.0) > chosen.confidence.get("supplier.name", 0.0):
        _take_seller(chosen, first)


def _take_seller(chosen: Invoice, source: Invoice) -> None:
    """Give ``chosen`` the seller of ``source`` (another reading of the page) with its confidences, none of its own."""
    chosen.supplier = source.supplier
    for key in [key for key in chosen.confidence if key.startswith("supplier.")]:
        del chosen.confidence[key]
    chosen.confidence.update({k: v for k, v in (source.confidence or {}).items() if k.startswith("supplier.")})


# A total is confirmed when the reader is this sure of it.  The invoice reader: a labelled total that the tax or
# the lines agree with (0.97; amounts that merely add up, no label, 0.8).  The receipt reader: a payable label's
# amount as printed ("Grand total", 0.8), or a plain "Total" that the cash and change confirm.
_CONFIRMED_TOTAL = 0.9
_CONFIRMED_RECEIPT_TOTAL = 0.75
# An invoice number the reader is less sure of than this was proposed for lack of a label (see the README).
_SURE_NUMBER = 0.5


def _wanted(receipt: bool) -> int:
    return 2 if receipt else 3


def checked_fields(invoice: Invoice, receipt: bool = False) -> int:
    """How many of a reading's fields check out: what tells two readings of one document apart.

    A total checks out when the reader is sure of it (``_CONFIRMED_TOTAL``,
    ``_CONFIRMED_RECEIPT_TOTAL`` for a till ``receipt``) and the untaxed
    amount and the tax add up to it (``_totals_agree``); a date when one was read; an
    invoice's number (not a receipt's) when the reader is sure of it
    (``_SURE_NUMBER``).  Not the reader's confidence itself: a second
    reading surer of the same fields is not a better one (it lost sellers'
    names on phone photos).
    """
    confidence = invoice.confidence or {}
    sure = _CONFIRMED_RECEIPT_TOTAL if receipt else _CONFIRMED_TOTAL
    total = invoice.amount_total is not None and confidence.get("amount_total", 0.0) >= sure
    checked = int(total and _totals_agree(invoice)) + int(invoice.issue_date is not None)
    if not receipt:
        checked += int(bool(invoice.invoice_number) and confidence.get("invoice_number", 0.0) >= _SURE_NUMBER)
    return checked


def _totals_agree(invoice: Invoice) -> bool:
    """The untaxed amount and the tax add up to the total, or one of them was not read.

    The totals only: lines that disagree with them (a discount, a rounding
    per line) say nothing of how well the totals were read, and a second
    reading does not change what the supplier printed.
    """
    untaxed, tax, total = invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total
    return None in (untaxed, tax, total) or abs(untaxed + tax - total) <= checks.CENT


def _locate(invoices: list[Invoice], layout) -> None:
    """Fill each invoice's ``locations`` from the pages' words: where a reviewer sees each value printed."""
    if layout is None:
        return
    from .provenance import locate

    for invoice in invoices:
        invoice.locations = locate(invoice, layout, layout.sizes)


def _text_layer_layout(doc, data, limits, deadline):
    """The text layer's words of a PDF whose data came from its embedded e-invoice; None when it has none.

    The page a person reads is the PDF's: its words show where the XML's
    values are printed.  No OCR for this: the values are already read.
    """
    from .reading import pdf_layout

    try:
        texts = doc.pages_text_fast()
        layered = [i for i, text in enumerate(texts) if len(text.strip()) >= MIN_TEXT_CHARS_PER_PAGE]
        if not layered:
            return None
        return pdf_layout(doc, data, [], limits=limits, deadline=deadline, texts=texts)
    except ExtractionError:
        return None


def _embedded_einvoice(doc, limits, warnings) -> list[Invoice]:
    from .einvoice import parse_einvoice_xml

    for name, payload in doc.embedded_files():
        if not name.lower().endswith(".xml"):
            continue
        try:
            invoices = parse_einvoice_xml(payload, limits=limits, source="embedded-xml")
        except ExtractionError as exc:
            warnings.append(f"embedded file {name} ignored: {exc.message}")
            continue
        for invoice in invoices:
            invoice.warnings[:0] = warnings
        return invoices
    return []


def _extract_text(pages: list[str], formats, source: str, layout=None, buyer=None) -> Invoice:
    from .pdf_template import apply_pdf_template, template_matches

    templates = [f for f in formats if f.kind == "pdf"]
    text = "\n".join(pages)
    for template in templates:
        if len(templates) == 1 or template_matches(template, text):
            invoice = apply_pdf_template(template, pages, layout=layout, buyer=buyer)
            invoice.source = source
            return invoice
    from .freeform import extract_from_pages
    from .freeform.receipt import looks_like_receipt, read_receipt

    invoice = extract_from_pages(pages, layout, buyer)
    if looks_like_receipt(pages):
        invoice = read_receipt(pages, base=invoice)
    invoice.source = source
    return invoice


def _extract_csv(data, formats, limits, deadline) -> list[Invoice]:
    from .csv_reader import guess_csv_format, read_csv

    csv_formats = [f for f in formats if f.kind == "csv"]
    if csv_formats:
        return read_csv(data, csv_formats[0], limits=limits, deadline=deadline)
    fmt = guess_csv_format(data, limits=limits)
    if fmt is None:
        raise ExtractionError(
            "no_format",
            "this CSV has no supplier format and its header names no known invoice columns; "
            "give a format with --format",
        )
    invoices = read_csv(data, fmt, limits=limits, deadline=deadline)
    for invoice in invoices:
        invoice.warnings.append("no supplier format given: columns were guessed from the header")
    return invoices
