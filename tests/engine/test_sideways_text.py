"""Text printed sideways (a seller's legal details up or down the page margin) read as lines of its own.

Pages are drawn with reportlab: the invoice's body upright, and a margin
line turned a quarter either way, with the seller's VAT number printed
nowhere else.  They are read through the product's path (``extract_bytes``:
pdfium's character boxes -> ``layout.Layout`` -> the template-free reader),
and pdfminer's characters (the fallback when pdfium's Unicode map
disagrees) must give the same words.
"""

from __future__ import annotations

import io

import pdfplumber
import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from invoice_import.engine.extract import extract_bytes
from invoice_import.engine.layout import Layout, Word, page_box, plumber_page_words, sideways_words
from invoice_import.engine.limits import Deadline
from invoice_import.engine.pdf import positioned_words

LEGAL = "Holzbau Keller GmbH - Amtsgericht Freiburg HRB 7012 - USt-IdNr. DE136695976"
BODY = [
    (60, 60, "Holzbau Keller GmbH"),
    (60, 74, "Sägewerkstr. 3, 79100 Freiburg"),
    (60, 130, "Rechnung Nr. RE-2024-0117"),
    (60, 144, "Rechnungsdatum: 05.03.2024"),
    (60, 200, "Balken 2 x 99,00"),
    (60, 214, "Montage 1 x 120,00"),
    (60, 260, "Nettobetrag 318,00"),
    (60, 274, "MwSt. 19 % 60,42"),
    (60, 288, "Gesamtbetrag EUR 378,42"),
]


def page(turn: int, second_line: str | None = None) -> bytes:
    """The bill with ``LEGAL`` printed along the left margin turned ``turn`` degrees (90: reading up, -90: down)."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, invariant=1)
    pdf.setFont("Helvetica", 10)
    width, height = A4
    for x, y, text in BODY:
        pdf.drawString(x, height - y, text)
    pdf.saveState()
    pdf.setFont("Helvetica", 7)
    if turn == 90:
        pdf.translate(30, 150)
    else:
        pdf.translate(width - 30, height - 150)
    pdf.rotate(turn)
    pdf.drawString(0, 0, LEGAL)
    if second_line:
        pdf.drawString(0, -9, second_line)
    pdf.restoreState()
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


@pytest.mark.parametrize("turn", [90, -90])
def test_a_sideways_line_is_one_line_of_words_after_the_pages_text(turn):
    data = page(turn, second_line="Geschäftsführer: Anna Keller")
    words = positioned_words(data, [0], Deadline(60))[0]
    lines = [line.text for line in Layout([words]).lines]
    # the body keeps its lines, untouched by the margin's characters
    assert lines[: len(BODY)] == [text for _x, _y, text in BODY]
    # the margin, read in its reading direction, its first line first, after the body
    assert lines[len(BODY) :] == [LEGAL, "Geschäftsführer: Anna Keller"]
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        fallback = [line.text for line in Layout([plumber_page_words(plumber.pages[0], 0)]).lines]
    assert fallback == lines


@pytest.mark.parametrize("turn", [90, -90])
def test_the_template_free_reader_finds_the_vat_number_printed_sideways(turn):
    (invoice,) = extract_bytes(page(turn), filename="keller.pdf").invoices
    assert invoice.supplier.vat == "DE136695976"
    assert invoice.invoice_number == "RE-2024-0117"
    assert str(invoice.amount_total) == "378.42"


def test_sideways_words_are_placed_below_the_page_in_their_reading_frame():
    """Characters going up the page at x 20..30 read bottom to top; the frame's lines start below the page."""
    up = [(ch, 20.0, 700.0 - 6 * i, 30.0, 706.0 - 6 * i) for i, ch in enumerate("FR12")]
    (word,) = sideways_words(up, [], 595.0, 842.0, 0)
    assert word.text == "FR12"
    assert word.top > 842.0 and word.x0 < word.x1
    assert Layout([[Word("Total", 60, 800, 90, 810), word]]).lines[-1].text == "FR12"


def test_a_sideways_words_box_turns_back_onto_the_page():
    """Where the characters were printed, for whoever highlights a value: the union of their boxes."""
    up = [(ch, 20.0, 700.0 - 6 * i, 30.0, 706.0 - 6 * i) for i, ch in enumerate("FR12")]
    down = [(ch, 560.0, 100.0 + 6 * i, 570.0, 106.0 + 6 * i) for i, ch in enumerate("DE34")]
    read_up, read_down = sideways_words(up, down, 595.0, 842.0, 0)
    assert (read_up.text, read_down.text) == ("FR12", "DE34")
    assert page_box(read_up, 595.0, 842.0) == pytest.approx((20.0, 682.0, 30.0, 706.0))
    assert page_box(read_down, 595.0, 842.0) == pytest.approx((560.0, 100.0, 570.0, 124.0))
    upright = Word("Total", 60, 800, 90, 810)
    assert page_box(upright, 595.0, 842.0) == (60, 800, 90, 810)


@pytest.mark.parametrize("turn", [90, -90])
def test_the_sideways_vat_number_is_boxed_in_the_margin_where_it_is_printed(turn):
    (invoice,) = extract_bytes(page(turn), filename="keller.pdf").invoices
    (spot,) = invoice.locations["supplier.vat"]
    x0, top, x1, bottom = spot["box"]
    margin = (30 if turn == 90 else A4[0] - 30) / A4[0]  # the baseline's x: left margin, or right one
    assert x0 < margin + 0.02 and x1 > margin - 0.02 and x1 - x0 < 0.03  # a thin upright strip at the margin
    assert 0.0 < top < bottom < 1.0 and bottom - top > 0.05
