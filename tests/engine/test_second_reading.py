"""A second OCR reading where the first does not check out: shaded cells lifted, the reading that checks out kept.

The pages are drawn here (reportlab, rendered by the engine's own PDF
renderer at 200 dpi as a scanner would give them) and go through the
product's path, ``extract.extract_bytes``.
"""

import datetime as dt
import io
from decimal import Decimal

import numpy as np
from PIL import Image

from invoice_import.engine import extract
from invoice_import.engine.extract import checked_fields, extract_bytes
from invoice_import.engine.images import binarise, lift_shading
from invoice_import.engine.layout import Layout
from invoice_import.engine.limits import Deadline, Limits
from invoice_import.engine.pdf import open_pdf
from invoice_import.engine.pivot import Invoice, Line, Party


def _invoice_page(shade: float | None) -> bytes:
    """A PNG of an A4 invoice whose subtotal, tax and total rows are printed in cells shaded ``shade`` (0 black)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica-Bold", 20)
    pdf.drawString(60, 780, "Invoice")
    pdf.setFont("Helvetica", 12)
    y = 780
    for text in ("Acme Supplies Ltd", "12 High Street, London", "Invoice number: INV-7731", "Date: 2024-03-05"):
        y -= 24
        pdf.drawString(60, y, text)
    y -= 36
    for index in range(4):
        pdf.drawString(60, y, f"{index + 1}. Widget model {index + 1:03d}")
        pdf.drawRightString(500, y, f"{(index + 1) * 10:.2f}")
        y -= 18
    y -= 20
    for label, amount in (("Subtotal", "100.00"), ("VAT 20%", "20.00"), ("Total due", "120.00")):
        if shade is not None:
            pdf.setFillGray(shade)
            pdf.rect(50, y - 6, 460, 20, stroke=0, fill=1)
            pdf.setFillGray(0)
        pdf.setFont("Helvetica-Bold", 12)
        pdf.drawString(60, y, label)
        pdf.drawRightString(500, y, amount)
        y -= 22
    pdf.showPage()
    pdf.save()
    with open_pdf(buffer.getvalue(), Limits(), Deadline(60)) as doc:
        page = doc.render_page(0, 200).convert("L")
    png = io.BytesIO()
    page.save(png, format="PNG", dpi=(200, 200))
    return png.getvalue()


def _tesseract_runs(monkeypatch) -> list[int]:
    """The height of every image tesseract reads from now on."""
    import pytesseract

    runs = []
    image_to_data = pytesseract.image_to_data
    monkeypatch.setattr(
        pytesseract, "image_to_data", lambda image, **k: runs.append(image.height) or image_to_data(image, **k)
    )
    return runs


def test_totals_in_shaded_cells_are_read_on_a_second_reading(monkeypatch):
    # Gray cells a global threshold sends to the ink side with their text: the first reading finds only the
    # lines' amounts, the second, each cell's gray made paper, the subtotal, tax and total that agree.
    runs = _tesseract_runs(monkeypatch)
    [invoice] = extract_bytes(_invoice_page(shade=0.45), filename="shaded.png").invoices
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
        Decimal("100.00"),
        Decimal("20.00"),
        Decimal("120.00"),
    )
    assert invoice.invoice_number == "INV-7731"
    assert len(runs) == 3  # the first look, the page, the page again


def test_a_page_whose_values_check_out_is_read_once(monkeypatch):
    runs = _tesseract_runs(monkeypatch)
    [invoice] = extract_bytes(_invoice_page(shade=None), filename="plain.png").invoices
    assert invoice.amount_total == Decimal("120.00")
    assert len(runs) == 2  # the first look and the page: no second reading


def test_the_first_reading_is_kept_when_the_second_checks_out_no_better(monkeypatch):
    # A first reading that does not check out, and a second no better: the first stays (OCR'd twice, kept once).
    firsts, seconds = [], []

    def reader(layout):
        invoice = Invoice(amount_total=Decimal("9.99"))
        (seconds if firsts else firsts).append(invoice)
        return invoice

    first_layout, second_layout = Layout([[]]), Layout([[]])
    monkeypatch.setattr("invoice_import.engine.reading.read_again", lambda layout, deadline: second_layout)
    invoice, layout = extract._checked_reading(reader, first_layout, Deadline(60))
    assert invoice is firsts[0] and layout is first_layout and len(seconds) == 1


def _tied_readings(monkeypatch, first: Invoice, second: Invoice):
    """What ``_checked_reading`` keeps of two readings ``first`` and ``second`` of one page (no lost lines found)."""
    readings = iter([first, second])
    monkeypatch.setattr("invoice_import.engine.reading.recover_lost_lines", lambda layout, deadline: None)
    monkeypatch.setattr("invoice_import.engine.reading.read_again", lambda layout, deadline: Layout([[]]))
    invoice, _layout = extract._checked_reading(lambda layout: next(readings), Layout([[]]), Deadline(60))
    return invoice


def test_a_tie_keeps_the_first_reading_with_what_only_the_second_read(monkeypatch):
    # The first reading has the date and no number, the second the number and no date: one checked field
    # each, the first kept, the second's sure number added; a value the first read is never replaced.
    first = Invoice(issue_date=dt.date(2024, 3, 5), invoice_number=None, amount_total=Decimal("9.99"))
    second = Invoice(issue_date=None, invoice_number="INV-7731", amount_total=Decimal("8.88"))
    second.confidence = {"invoice_number": 0.9}
    invoice = _tied_readings(monkeypatch, first, second)
    assert invoice is first
    assert (invoice.issue_date, invoice.invoice_number) == (dt.date(2024, 3, 5), "INV-7731")
    assert invoice.amount_total == Decimal("9.99") and invoice.confidence["invoice_number"] == 0.9


def test_a_seller_only_the_other_reading_read_is_taken_and_a_read_one_kept(monkeypatch):
    first = Invoice(issue_date=dt.date(2024, 3, 5))
    second = Invoice(supplier=Party(name="Kestrel Hardware Ltd"))
    second.confidence = {"supplier.name": 0.8}
    invoice = _tied_readings(monkeypatch, first, second)
    assert invoice is first and invoice.supplier.name == "Kestrel Hardware Ltd"
    assert invoice.confidence["supplier.name"] == 0.8
    first = Invoice(issue_date=dt.date(2024, 3, 5), supplier=Party(name="Kestrel Hardware"))
    invoice = _tied_readings(monkeypatch, first, Invoice(supplier=Party(name="Kestre1 Hardware Ltd")))
    assert invoice.supplier.name == "Kestrel Hardware"


def test_a_number_the_other_reading_is_unsure_of_is_not_taken(monkeypatch):
    first = Invoice(issue_date=dt.date(2024, 3, 5))
    second = Invoice(invoice_number="Widget", issue_date=dt.date(2024, 3, 6))
    second.confidence = {"invoice_number": 0.3}
    invoice = _tied_readings(monkeypatch, first, second)
    assert invoice is first and invoice.invoice_number is None and invoice.issue_date == dt.date(2024, 3, 5)


def test_checked_fields_count_a_confirmed_total_a_date_and_an_invoice_number():
    sure = Invoice(
        amount_total=Decimal("120.00"),
        issue_date=dt.date(2024, 3, 5),
        confidence={"amount_total": 0.97, "issue_date": 0.8},
    )
    guessed = Invoice(amount_total=Decimal("40.00"), confidence={"amount_total": 0.8})
    assert checked_fields(sure) == 2  # an invoice without its number
    assert checked_fields(guessed) == 0  # amounts that add up, no label: not confirmed on an invoice
    assert checked_fields(guessed, receipt=True) == 1  # a receipt's payable label is
    sure.invoice_number, sure.confidence["invoice_number"] = "INV-7731", 0.45  # proposed for lack of a label
    assert checked_fields(sure) == 2
    sure.confidence["invoice_number"] = 0.9
    assert checked_fields(sure) == 3 and checked_fields(sure, receipt=True) == 2
    sure.lines = [Line(description="Widget", quantity=Decimal(2), unit_price=Decimal("10.00"), amount=Decimal("25.00"))]
    sure.amount_untaxed, sure.amount_tax = Decimal("100.00"), Decimal("20.00")
    assert checked_fields(sure) == 3  # a line that disagrees says nothing of how the totals were read
    sure.amount_tax = Decimal("2.00")
    assert checked_fields(sure) == 2  # the totals themselves disagree


def test_lifting_shading_makes_a_gray_cell_paper_and_keeps_its_print():
    page = Image.new("L", (200, 60), 255)
    page.paste(110, (20, 10, 180, 50))  # a shaded cell
    page.paste(15, (60, 25, 64, 35))  # a stroke in it
    lifted = np.asarray(lift_shading(page, 9))
    assert lifted[15, 100] == 255 and lifted[30, 62] < 60  # the cell's gray is paper, the stroke ink
    assert np.asarray(binarise(page))[15, 100] == 0  # one threshold for the page: the cell is all ink


def test_a_page_of_white_paper_that_does_not_check_out_is_not_read_again(monkeypatch):
    # No shaded cell, no shadow: the lift gives tesseract the page it read, so the doubt stays without a second run.
    def reader_in_doubt(layout):
        return Invoice(amount_total=Decimal("120.00"), confidence={"amount_total": 0.5})

    monkeypatch.setattr(extract, "_extract_text", lambda *args, **kwargs: reader_in_doubt(None))
    runs = _tesseract_runs(monkeypatch)
    extract_bytes(_invoice_page(shade=None), filename="plain.png")
    assert len(runs) == 2  # the first look and the page
    runs.clear()
    extract_bytes(_invoice_page(shade=0.45), filename="shaded.png")
    assert len(runs) == 3  # the shaded cells change what a threshold sees: read again


def _read_twice(monkeypatch, first: Invoice, second: Invoice) -> Invoice:
    """What ``_checked_reading`` keeps when the reader gives ``first``, then ``second`` on the page read again."""
    readings = iter([first, second])
    monkeypatch.setattr("invoice_import.engine.reading.read_again", lambda layout, deadline: Layout([[]]))
    invoice, _layout = extract._checked_reading(lambda layout: next(readings), Layout([[]]), Deadline(60))
    return invoice


def _confirmed(seller: str, seller_confidence: float) -> Invoice:
    """A reading whose total and date check out, with the seller's name read at ``seller_confidence``."""
    invoice = Invoice(
        amount_total=Decimal("120.00"),
        issue_date=dt.date(2024, 3, 5),
        confidence={"amount_total": 0.97, "issue_date": 0.8, "supplier.name": seller_confidence},
    )
    invoice.supplier.name = seller
    return invoice


def _doubtful(seller: str, seller_confidence: float) -> Invoice:
    """A reading whose total the reader is unsure of, no date."""
    confidence = {"amount_total": 0.5, "supplier.name": seller_confidence}
    invoice = Invoice(amount_total=Decimal("9.99"), confidence=confidence)
    invoice.supplier.name = seller
    return invoice


def test_the_second_reading_keeps_the_seller_the_first_was_surer_of(monkeypatch):
    # The second reading confirms the total and the date; its seller's name (a thinned bold letterhead) is weaker.
    second = _confirmed("Acrne Suppiies", 0.4)
    invoice = _read_twice(monkeypatch, _doubtful("Acme Supplies Ltd", 0.9), second)
    assert invoice is second and invoice.amount_total == Decimal("120.00")
    assert invoice.supplier.name == "Acme Supplies Ltd" and invoice.confidence["supplier.name"] == 0.9


def test_the_second_reading_keeps_its_own_seller_when_surer_of_it(monkeypatch):
    invoice = _read_twice(monkeypatch, _doubtful("Acrne", 0.3), _confirmed("Acme Supplies Ltd", 0.9))
    assert invoice.supplier.name == "Acme Supplies Ltd" and invoice.amount_total == Decimal("120.00")
