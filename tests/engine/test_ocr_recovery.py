"""OCR of receipts that lose their text to the page around it: a black surround, a line tesseract skips.

The receipts are drawn here (``test_receipts``' till rolls, rendered by the
engine's own PDF renderer) and read by tesseract as the product reads them.
"""

import datetime as dt
import io
from decimal import Decimal

import numpy as np
import pytest
from PIL import Image

from invoice_import.engine import extract
from invoice_import.engine.extract import extract_bytes
from invoice_import.engine.images import prepare_page, whiten_surround
from invoice_import.engine.layout import Layout
from invoice_import.engine.limits import Deadline
from invoice_import.engine.ocr import OcrText, OcrWord, read_doubtful_words, read_lost_lines, recognise
from invoice_import.engine.pivot import Invoice

from .test_receipts import BRITISH, MALAYSIAN, receipt_image


def _light_print_on_black(lines) -> Image.Image:
    """A till roll with faded print (gray 170 on 245 paper), scanned with black above and below its torn ends."""
    paper = np.asarray(receipt_image(lines).convert("L"), dtype=np.float64)
    faded = (245 - (255 - paper) * (245 - 170) / 255).astype(np.uint8)
    receipt = Image.fromarray(faded, "L")
    band = receipt.height // 6
    scan = Image.new("L", (receipt.width, receipt.height + 2 * band), 0)
    scan.paste(receipt, (0, band))
    return scan


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def test_faded_print_between_black_torn_ends_is_read():
    # the whole page's threshold fell between the black and the paper: the faded print read as nothing at all
    [receipt] = extract_bytes(_png(_light_print_on_black(MALAYSIAN)), "receipt.png").invoices
    assert receipt.supplier.name.startswith("KEDAI BESI MAJU")
    assert receipt.issue_date == dt.date(2018, 12, 25)
    assert receipt.amount_total == Decimal("43.10")


def test_the_surround_is_whitened_and_the_print_inside_the_paper_kept():
    scan = _light_print_on_black(MALAYSIAN)
    pixels = np.asarray(whiten_surround(scan))
    band = (scan.height - scan.height * 6 // 8) // 2
    assert pixels[: band - 1].min() == 255 and pixels[-band + 1 :].min() == 255
    assert pixels[band:-band].min() <= 180  # the faded print is still there


def test_a_dark_page_and_print_touching_the_edge_are_no_surround():
    dark = Image.new("L", (200, 100), 30)
    assert whiten_surround(dark) is dark
    page = Image.new("L", (200, 100), 250)
    for top in range(10, 90, 20):
        page.paste(40, (20, top, 180, top + 8))  # lines of print
    page.paste(0, (0, 40, 3, 44))  # a letter's stroke cut by the edge
    assert whiten_surround(page) is page


def test_a_line_tesseract_skipped_is_read_on_its_own():
    page = prepare_page(receipt_image(BRITISH), 200)
    reading = recognise(page.image, "eng", Deadline(120), page.dpi, till_roll=page.till_roll)
    assert reading.till_roll and "03 Mar 2024" in reading
    # tesseract read the page but skipped the date's line: its words are not among the reading's
    kept = [w for w in reading.words if w.text not in ("03", "Mar", "2024", "14:05")]
    skipped = OcrText("", kept, True, 0, reading.languages).of_same_page(reading)
    skipped.turned, skipped.steps, skipped.size = 180, (("turn", 180, page.image.size),), page.image.size
    assert "2024" not in "".join(w.text for w in skipped.words)
    found = read_lost_lines(skipped, Deadline(120))
    assert found is not None and "03 Mar 2024" in found
    # the lines found are on the page the first reading read: its boxes map onto the page as the first's do
    assert (found.turned, found.steps, found.size) == (skipped.turned, skipped.steps, skipped.size)
    assert (found.image, found.dpi) == (reading.image, reading.dpi)
    rows = found.splitlines()
    assert rows.index(next(r for r in rows if "2024" in r)) < rows.index(next(r for r in rows if "Timber" in r))


def test_a_reading_that_lost_no_line_is_left_as_it_is():
    page = prepare_page(receipt_image(BRITISH), 200)
    reading = recognise(page.image, "eng", Deadline(120), page.dpi, till_roll=page.till_roll)
    assert read_lost_lines(reading, Deadline(120)) is None


def test_lines_found_again_that_check_out_are_kept_and_the_page_is_not_read_whole_again(monkeypatch):
    def confirmed(date=None):
        confidence = {"amount_total": 0.97, "invoice_number": 0.9, "issue_date": 0.8}
        return Invoice(amount_total=Decimal("43.10"), issue_date=date, invoice_number="CS42", confidence=confidence)

    readings = iter([confirmed(), confirmed(dt.date(2018, 12, 25))])  # the date's line was the one skipped
    found = Layout([[]])
    monkeypatch.setattr("invoice_import.engine.reading.recover_lost_lines", lambda layout, deadline: found)
    monkeypatch.setattr("invoice_import.engine.reading.read_again", lambda layout, deadline: pytest.fail("read again"))
    invoice, layout = extract._checked_reading(lambda layout: next(readings), Layout([[]]), Deadline(60))
    assert layout is found and invoice.issue_date == dt.date(2018, 12, 25)


def _invoice_reading():
    """A drawn invoice page (reportlab, the engine's renderer at 200 dpi) prepared and read as a scan's page."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from invoice_import.engine.limits import Limits
    from invoice_import.engine.pdf import open_pdf

    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica", 12)
    for number, text in enumerate(
        ("Harbour Lights Ltd", "Credit note No.: CN-58213", "Date: 2024-06-11", "Total 48.00")
    ):
        pdf.drawString(60, 780 - 24 * number, text)
    pdf.showPage()
    pdf.save()
    with open_pdf(buffer.getvalue(), Limits(), Deadline(60)) as doc:
        page = prepare_page(doc.render_page(0, 200), 200)
    return recognise(page.image, "eng", Deadline(120), page.dpi)


def test_a_word_tesseract_was_unsure_of_is_read_again_alone():
    reading = _invoice_reading()
    [number] = [w for w in reading.words if w.text == "CN-58213"]
    # the number as a shaded cell or noise leaves it: letter scraps at low confidence, in the number's place
    scraps = OcrWord("EEE)", 23.0, number.left, number.top, number.width, number.height, number.line)
    words = [scraps if w is number else w for w in reading.words]
    unsure = OcrText("", words, False, 0, reading.languages).of_same_page(reading)
    again = read_doubtful_words(unsure, Deadline(120))
    assert again is not None and "CN-58213" in again and "EEE)" not in again
    [read] = [w for w in again.words if w.text == "CN-58213"]
    # in the page's pixels where it is printed, on its line: the text keeps tesseract's order
    assert abs(read.left - number.left) <= 4 and abs(read.top - number.top) <= 4 and read.line == number.line
    assert again.index("Harbour") < again.index("CN-58213") < again.index("2024-06-11")
    assert (again.image, again.dpi, again.size) == (reading.image, reading.dpi, reading.size)


def test_several_doubtful_words_are_read_in_one_tesseract_run_each_as_if_alone(monkeypatch):
    import pytesseract

    from invoice_import.engine import ocr

    reading = _invoice_reading()
    picked = [w for w in reading.words if w.text in ("CN-58213", "2024-06-11", "Harbour")]
    assert len(picked) == 3
    # each word read alone, one tesseract run a word: what the page's words read as on their own
    boxes = [(w.left - 4, w.top - 4, w.left + w.width + 4, w.top + w.height + 4) for w in picked]
    areas = [reading.image.crop(box) for box in boxes]
    alone = [ocr._read_lines([area], reading.languages, Deadline(120))[0] for area in areas]
    runs = []
    image_to_data = pytesseract.image_to_data
    monkeypatch.setattr(
        pytesseract, "image_to_data", lambda image, **k: runs.append(image) or image_to_data(image, **k)
    )
    together = ocr._read_lines(areas, reading.languages, Deadline(120))
    assert len(runs) == 1
    assert [[(w.text, w.confidence, w.left, w.top) for w in words] for words in together] == [
        [(w.text, w.confidence, w.left, w.top) for w in words] for words in alone
    ]
    assert [" ".join(w.text for w in words) for words in together] == [w.text for w in picked]


def test_a_reading_without_doubtful_words_is_not_read_again(monkeypatch):
    import pytesseract

    reading = _invoice_reading()
    sure = OcrText("", [w for w in reading.words if w.confidence >= 40], False, 0, "eng").of_same_page(reading)
    monkeypatch.setattr(pytesseract, "image_to_data", lambda *a, **k: pytest.fail("tesseract ran"))
    assert read_doubtful_words(sure, Deadline(60)) is None


def test_doubtful_words_read_again_that_check_out_spare_the_whole_page_reading(monkeypatch):
    def read(number=None):
        confidence = {"amount_total": 0.97, "invoice_number": 0.9 if number else 0.0}
        return Invoice(
            amount_total=Decimal("48.00"), issue_date=dt.date(2024, 6, 11), invoice_number=number, confidence=confidence
        )

    readings = iter([read(), read("CN-58213")])  # the number was the doubtful word
    found = Layout([[]])
    monkeypatch.setattr("invoice_import.engine.reading.recover_lost_lines", lambda layout, deadline: None)
    monkeypatch.setattr("invoice_import.engine.reading.reread_doubtful_words", lambda layout, deadline: found)
    monkeypatch.setattr("invoice_import.engine.reading.read_again", lambda layout, deadline: pytest.fail("read again"))
    invoice, layout = extract._checked_reading(lambda layout: next(readings), Layout([[]]), Deadline(60))
    assert layout is found and invoice.invoice_number == "CN-58213"
