"""Scans whose scanner laid its own OCR over the image as invisible text: read by our OCR too, the better kept.

The pages are drawn here: an invoice drawn with reportlab, rendered by the
engine's own renderer at 200 dpi as a scanner would give it, and wrapped
in a PDF page that draws the image over the whole page and, in render mode
3 (text that paints nothing), the text a poor scanner OCR made of it.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest

from invoice_import.engine.extract import extract_bytes
from invoice_import.engine.formats import load_format
from invoice_import.engine.limits import Deadline, Limits
from invoice_import.engine.pdf import open_pdf

from .test_second_reading import _tesseract_runs

_PRINTED = (
    "Brightwater Tools Ltd",
    "7 Mill Lane, Leeds",
    "Invoice number: BT-40817",
    "Date: 2024-03-05",
)
_TOTALS = (("Subtotal", "100.00"), ("VAT 20%", "20.00"), ("Total due", "120.00"))
# What a poor scanner OCR made of the page: letters for digits, a broken label, a total that does not add up.
_GARBLED = ("Br1ghtw ater Too1s", "lnvoice nurnber: BT-4O8l7", "Dale: 2O24-O3-O5", "Tota1 due 12O.OO", "VAT 2O% 2O.OO")


def _draw_invoice(pdf) -> None:
    """The header lines, four item lines and the totals, each row a label at the left and an amount at the right."""
    items = [(f"{n}. Widget model {n:03d}", f"{n * 25:.2f}") for n in range(1, 5)]
    rows = [(line, "", 24) for line in _PRINTED] + [(*item, 18) for item in items] + [(*t, 22) for t in _TOTALS]
    pdf.setFont("Helvetica", 12)
    y = 780
    for left, right, step in rows:
        y -= step
        pdf.drawString(60, y, left)
        pdf.drawRightString(500, y, right)


def _text_pdf(extra=None) -> bytes:
    """The invoice as a text PDF (visible text); ``extra(pdf)`` draws more on the page first."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    if extra:
        extra(pdf)
    _draw_invoice(pdf)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _page_image():
    with open_pdf(_text_pdf(), Limits(), Deadline(60)) as doc:
        return doc.render_page(0, 200).convert("L")


def _scanned_pdf(lines=_GARBLED, image: bool = True, render_mode: int = 3) -> bytes:
    """A page drawing the invoice's scanned image over the whole page, with ``lines`` of text in ``render_mode``."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    width, height = A4
    if image:
        pdf.drawImage(ImageReader(_page_image()), 0, 0, width, height)
    text = pdf.beginText(60, 756)
    text.setFont("Helvetica", 12)
    text.setTextRenderMode(render_mode)
    for line in lines:
        text.textLine(line)
    pdf.drawText(text)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _scanner_pages(data: bytes) -> list[int]:
    with open_pdf(data, Limits(), Deadline(60)) as doc:
        doc.pages_text_fast()
        return doc.scanner_pages()


def test_a_page_of_invisible_text_over_a_full_page_image_is_a_scanner_text_layer():
    assert _scanner_pages(_scanned_pdf()) == [0]


@pytest.mark.parametrize(
    "data",
    [
        _text_pdf(),  # visible text
        _scanned_pdf(render_mode=0),  # the text over the image is visible: the page prints it
        _scanned_pdf(image=False),  # invisible text and no image: nothing a scanner read it from
    ],
    ids=["text", "visible-over-image", "invisible-without-image"],
)
def test_other_pages_are_not_a_scanner_text_layer(data):
    assert _scanner_pages(data) == []


def test_a_full_page_background_image_under_visible_text_is_not_a_scan():
    # a letterhead or a watermark drawn as one page-sized image under the printed text
    def background(pdf):
        from reportlab.lib.utils import ImageReader

        pdf.drawImage(ImageReader(_page_image()), 0, 0, *pdf._pagesize)

    assert _scanner_pages(_text_pdf(background)) == []


def test_a_scanner_text_layer_that_does_not_check_out_is_read_from_the_image(monkeypatch):
    runs = _tesseract_runs(monkeypatch)
    [invoice] = extract_bytes(_scanned_pdf(), filename="scan.pdf").invoices
    assert runs
    assert invoice.invoice_number == "BT-40817"
    assert invoice.issue_date == dt.date(2024, 3, 5)
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
        Decimal("100.00"),
        Decimal("20.00"),
        Decimal("120.00"),
    )
    assert any("scanner" in warning for warning in invoice.warnings)


def test_a_text_pdf_is_read_from_its_text_layer_without_ocr(monkeypatch):
    runs = _tesseract_runs(monkeypatch)
    [invoice] = extract_bytes(_text_pdf(), filename="invoice.pdf").invoices
    assert runs == []
    assert invoice.source == "pdf-text"
    assert (invoice.invoice_number, invoice.issue_date) == ("BT-40817", dt.date(2024, 3, 5))
    assert invoice.source == "pdf-text"


def test_without_ocr_a_scanner_text_layer_is_read_as_it_is(monkeypatch):
    # mail intake's quick pass: no tesseract, the scanner's text is all there is
    runs = _tesseract_runs(monkeypatch)
    data = _scanned_pdf()
    [quick] = extract_bytes(data, filename="scan.pdf", allow_ocr=False).invoices
    assert runs == []
    assert quick.source == "pdf-text"
    assert quick.invoice_number != "BT-40817"
    assert not any("scanner" in warning for warning in quick.warnings)


# A supplier's template for the drawn invoice's header, its labels as the page prints them (tesseract's text puts
# the right-hand column of amounts in a block of its own, apart from their labels: a template for scans says so).
_TEMPLATE = {
    "name": "Brightwater Tools (PDF invoice)",
    "kind": "pdf",
    "keywords": ["Brightwater"],
    "fields": {
        "invoice_number": "Invoice number: (?P<value>\\S+)",
        "issue_date": "Date: (?P<value>\\d{4}-\\d\\d-\\d\\d)",
    },
}


def test_scanner_pages_are_told_without_the_template_free_readers_pass():
    # a supplier's template reads pdfminer's text (pages_text), never pages_text_fast, which used to tell them
    for data, expected in ((_scanned_pdf(), [0]), (_text_pdf(), [])):
        with open_pdf(data, Limits(), Deadline(60)) as doc:
            assert doc.scanner_pages() == expected


def test_a_template_reads_a_scanner_text_layer_that_does_not_check_out_from_the_image(monkeypatch):
    runs = _tesseract_runs(monkeypatch)
    template = load_format(_TEMPLATE)
    [invoice] = extract_bytes(_scanned_pdf(), filename="scan.pdf", formats=[template]).invoices
    assert runs
    assert invoice.format == template.name
    assert (invoice.invoice_number, invoice.issue_date) == ("BT-40817", dt.date(2024, 3, 5))
    assert invoice.source == "ocr"
    assert any("scanner" in warning for warning in invoice.warnings)


def test_a_template_reads_a_text_pdf_without_ocr(monkeypatch):
    runs = _tesseract_runs(monkeypatch)
    [invoice] = extract_bytes(_text_pdf(), filename="invoice.pdf", formats=[load_format(_TEMPLATE)]).invoices
    assert runs == []
    assert (invoice.invoice_number, invoice.issue_date) == ("BT-40817", dt.date(2024, 3, 5))
    assert invoice.source == "pdf-text"
