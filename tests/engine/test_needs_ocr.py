"""``allow_ocr=False``: a quick caller learns that a file needs OCR before any OCR runs."""

import io

import pytest

from invoice_import.engine import ocr
from invoice_import.engine.errors import ExtractionError
from invoice_import.engine.extract import extract_bytes

from .hostile_files import image_only_pdf, invoice_pdf
from .test_ocr import rendered_page


@pytest.fixture
def no_tesseract(monkeypatch):
    """Any OCR call would fail the test: ``needs_ocr`` must come before tesseract is reached."""

    def refuse(*args, **kwargs):
        raise AssertionError("OCR ran although allow_ocr=False")

    monkeypatch.setattr(ocr, "recognise", refuse)


def _png(image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_image_needs_ocr(no_tesseract):
    with pytest.raises(ExtractionError) as caught:
        extract_bytes(_png(rendered_page(invoice_pdf(number="IMG-1"))), "scan.png", allow_ocr=False)
    assert caught.value.code == "needs_ocr"


def test_pdf_without_text_layer_needs_ocr(no_tesseract):
    scan = image_only_pdf(rendered_page(invoice_pdf(number="SCAN-1")))
    with pytest.raises(ExtractionError) as caught:
        extract_bytes(scan, "scan.pdf", allow_ocr=False)
    assert caught.value.code == "needs_ocr"
    assert "1 of the PDF's 1 pages" in caught.value.message


def test_text_pdf_is_read_without_ocr(no_tesseract):
    invoices = extract_bytes(invoice_pdf(number="TXT-9"), "text.pdf", allow_ocr=False).invoices
    assert invoices[0].invoice_number == "TXT-9"
    assert invoices[0].source == "pdf-text"


def test_same_image_is_read_when_ocr_is_allowed():
    invoices = extract_bytes(_png(rendered_page(invoice_pdf(number="IMG-2"))), "scan.png").invoices
    assert invoices[0].invoice_number == "IMG-2"
    assert invoices[0].source == "ocr"
