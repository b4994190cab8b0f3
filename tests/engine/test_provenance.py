"""Where each value is printed: ``provenance.locate`` and the pivot's ``locations``.

Synthetic layouts (words placed by hand, as OCR or pdfium give them) check
each matching rule; pages drawn with reportlab and the shared corpus check
the whole path (``extract_bytes`` fills ``locations``) by reading back the
page's own text inside each box: it must print the field's value.  No
file's full output is pinned.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from invoice_import.engine.extract import extract_bytes, extract_file
from invoice_import.engine.freeform.amounts import find_amounts
from invoice_import.engine.layout import Layout, Word
from invoice_import.engine.pivot import Invoice, Party
from invoice_import.engine.provenance import locate
from invoice_import.engine.values import find_dates, parse_amount

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"
PAGE = (600.0, 800.0)


def line(y: float, *cells: tuple[float, str], page: int = 0) -> list[Word]:
    """Words of one printed line at height ``y``: each cell (x, text) split into words 6 points per character."""
    words = []
    for x, text in cells:
        for token in text.split():
            words.append(Word(token, x, y, x + 6 * len(token), y + 10, page))
            x += 6 * len(token) + 4
    return words


def layout(*lines: list[Word]) -> Layout:
    return Layout([[word for words in lines for word in words]])


def box_of(word: Word, size=PAGE) -> list[float]:
    return [
        round(word.x0 / size[0], 4),
        round(word.top / size[1], 4),
        round(word.x1 / size[0], 4),
        round(word.bottom / size[1], 4),
    ]


def test_the_box_lies_on_the_word_carrying_the_value():
    number = line(100, (50, "Invoice number:"), (300, "INV-2024-0042"))
    page = layout(line(40, (50, "ACME Tools Ltd")), number)
    found = locate(Invoice(invoice_number="INV-2024-0042"), page, [PAGE])
    assert found == {"invoice_number": [{"page": 0, "box": box_of(number[-1])}]}
    x0, top, x1, bottom = found["invoice_number"][0]["box"]
    assert 0 <= x0 < x1 <= 1 and 0 <= top < bottom <= 1


def test_a_value_printed_twice_takes_the_labelled_occurrence():
    item = line(200, (50, "Consulting services"), (400, "120.00"))
    total = line(300, (300, "Total"), (400, "120.00"))
    page = layout(line(100, (50, "Description"), (400, "Amount")), item, total)
    found = locate(Invoice(amount_total=Decimal("120.00")), page, [PAGE])
    assert found["amount_total"][0]["box"] == box_of(total[-1])


def test_a_label_above_its_value_counts_like_one_beside_it():
    titles = line(100, (50, "Date"), (250, "Due date"), (450, "Total"))
    values = line(114, (50, "05.03.2024"), (250, "04.04.2024"), (450, "1.234,56"))
    other = line(300, (50, "Paid on account: 1.234,56"))
    page = layout(other, titles, values)
    found = locate(Invoice(due_date=dt.date(2024, 4, 4), amount_total=Decimal("1234.56")), page, [PAGE])
    assert found["due_date"][0]["box"] == box_of(values[1])
    assert found["amount_total"][0]["box"] == box_of(values[2])  # not the first, unlabelled, occurrence


def test_a_value_not_printed_gets_no_box():
    page = layout(line(100, (50, "Invoice number:"), (300, "A-17")), line(120, (50, "Total"), (300, "99.00")))
    found = locate(Invoice(invoice_number="B-18", amount_total=Decimal("99.01"), currency="EUR"), page, [PAGE])
    assert found == {}


@pytest.mark.parametrize("printed", ["1.234,56", "1,234.56", "1234.56", "1 234,56", "EUR 1234,56", "-1.234,56 €"])
def test_an_amount_is_found_in_any_printed_form(printed):
    words = line(100, (50, "Amount due"), (300, printed))
    found = locate(Invoice(amount_total=Decimal("1234.56")), layout(words), [PAGE])
    carried = [word.text for word in words if box_of(word)[0] >= found["amount_total"][0]["box"][0]]
    assert parse_amount(" ".join(carried).replace("EUR", "").replace("€", "")).copy_abs() == Decimal("1234.56")


@pytest.mark.parametrize("printed", ["05.03.2024", "2024-03-05", "5 March 2024", "March 5, 2024", "03/05/2024"])
def test_a_date_is_found_in_any_printed_form(printed):
    words = line(100, (50, "Date:"), (300, printed))
    found = locate(Invoice(issue_date=dt.date(2024, 3, 5)), layout(words), [PAGE])
    x0, _, x1, _ = found["issue_date"][0]["box"]
    shown = " ".join(word.text for word in words if box_of(word)[0] >= x0 and box_of(word)[2] <= x1)
    assert dt.date(2024, 3, 5) in {date for _, _, date in find_dates(shown)} | {
        date for _, _, date in find_dates(shown, False)
    }


def test_an_identifier_matches_across_spaces_and_never_inside_a_longer_code():
    longer = line(100, (50, "Order"), (300, "FR32123456789-B"))
    vat = line(140, (50, "VAT:"), (300, "FR 32 123 456 789"))
    found = locate(Invoice(supplier=Party(vat="FR32123456789")), layout(longer, vat), [PAGE])
    assert found["supplier.vat"][0]["box"] == [
        round(vat[1].x0 / PAGE[0], 4),
        round(vat[1].top / PAGE[1], 4),
        round(vat[-1].x1 / PAGE[0], 4),
        round(vat[-1].bottom / PAGE[1], 4),
    ]


def test_a_letter_that_grows_in_upper_case_keeps_the_positions():
    words = line(100, (50, "Straße 15   Bestellung Nr."), (300, "2013-471331"))
    found = locate(Invoice(po_reference="2013-471331"), layout(words), [PAGE])
    assert found["po_reference"][0]["box"] == box_of(words[-1])


def test_a_name_is_a_run_of_words_of_one_line_case_aside():
    heading = line(40, (50, "Bill from"), (300, "GLOBEX"))
    name = line(60, (50, "Globex Corporation SARL"))
    found = locate(Invoice(supplier=Party(name="GLOBEX CORPORATION SARL")), layout(heading, name), [PAGE])
    assert found["supplier.name"][0]["box"][0] == round(name[0].x0 / PAGE[0], 4)
    assert found["supplier.name"][0]["box"][2] == round(name[-1].x1 / PAGE[0], 4)


def test_a_short_number_or_a_bare_zero_needs_its_label():
    page = layout(line(40, (50, "Page 7 of 9")), line(60, (50, "Shipping"), (300, "0.00")))
    found = locate(Invoice(invoice_number="7", amount_tax=Decimal("0")), page, [PAGE])
    assert found == {}
    labelled = layout(line(40, (50, "Invoice No."), (300, "7")), line(60, (50, "VAT"), (300, "0.00")))
    assert set(locate(Invoice(invoice_number="7", amount_tax=Decimal("0")), labelled, [PAGE])) == {
        "invoice_number",
        "amount_tax",
    }


def test_a_page_without_a_size_is_not_searched():
    words = line(100, (50, "Invoice number:"), (300, "INV-9"), page=1)
    page = Layout([[], words])
    assert locate(Invoice(invoice_number="INV-9"), page, [PAGE, None]) == {}
    assert locate(Invoice(invoice_number="INV-9"), page, [PAGE, PAGE])["invoice_number"][0]["page"] == 1


def test_locations_travel_in_the_pivot_json_only_when_there_are_some():
    invoice = Invoice(invoice_number="X1")
    assert "locations" not in invoice.to_dict()
    invoice.locations = {"invoice_number": [{"page": 0, "box": [0.1, 0.2, 0.3, 0.25]}]}
    data = invoice.to_dict()
    assert data["locations"] == invoice.locations
    assert Invoice.from_dict(data).locations == invoice.locations


# ----------------------------------------------------------------------------- whole path


def draw(items: list[tuple[float, float, str]]) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica", 10)
    for x, y, text in items:
        pdf.drawString(x, A4[1] - y, text)
    pdf.save()
    return buffer.getvalue()


def text_in_box(pdf_data: bytes, spot: dict) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf_data)
    page = document[spot["page"]]
    width, height = page.get_size()
    x0, top, x1, bottom = spot["box"]
    textpage = page.get_textpage()
    return textpage.get_text_bounded(
        left=x0 * width, bottom=height * (1 - bottom), right=x1 * width, top=height * (1 - top)
    )


def shows(text: str, value) -> bool:
    """Whether ``text`` (what a box covers) prints ``value``."""
    squeezed = "".join(ch for ch in text.upper() if ch.isalnum())
    if isinstance(value, Decimal):
        text = re.sub(r"[^\d.,\s-]", " ", text)  # a currency sign pdfium maps otherwise ("Ä" for "€")
        return any(abs(amount.value) == abs(value) for mark in (None, ",", ".") for amount in find_amounts(text, mark))
    if isinstance(value, dt.date):
        return any(date == value for first in (True, False) for _, _, date in find_dates(text, first))
    wanted = "".join(ch for ch in str(value).upper() if ch.isalnum())
    return wanted in squeezed


def test_a_drawn_pdf_gets_the_boxes_of_its_number_and_total():
    data = draw(
        [
            (50, 60, "Northwind Traders GmbH"),
            (50, 120, "Invoice number: NW-58213"),
            (50, 135, "Invoice date: 12.02.2025"),
            (50, 250, "Widgets"),
            (450, 250, "80,00"),
            (350, 300, "Total net"),
            (450, 300, "80,00"),
            (350, 315, "VAT 19%"),
            (450, 315, "15,20"),
            (350, 330, "Total"),
            (450, 330, "95,20"),
        ]
    )
    invoice = extract_bytes(data, "drawn.pdf").invoices[0]
    assert invoice.invoice_number == "NW-58213" and invoice.amount_total == Decimal("95.20")
    assert text_in_box(data, invoice.locations["invoice_number"][0]).strip() == "NW-58213"
    assert text_in_box(data, invoice.locations["amount_total"][0]).strip() == "95,20"
    assert text_in_box(data, invoice.locations["amount_untaxed"][0]).strip() == "80,00"
    assert invoice.locations["amount_untaxed"][0]["box"][1] > 270 / A4[1]  # the labelled row, not the item line (250)


def _corpus_pdfs():
    return sorted((CORPUS / "invoices").glob("*.pdf")) + sorted((CORPUS / "facturx").glob("*.pdf"))


@pytest.mark.skipif(not (CORPUS / "invoices").is_dir(), reason="the shared corpus is not at ../shared")
@pytest.mark.parametrize("path", _corpus_pdfs()[::3], ids=lambda path: path.stem[:40])
def test_every_box_on_a_corpus_pdf_prints_its_fields_value(path):
    invoice = extract_file(path, allow_ocr=False).invoices[0]
    data = path.read_bytes()
    assert invoice.locations, "a PDF with a text layer shows at least one of its values"
    for name, spots in invoice.locations.items():
        if name in ("currency", "supplier.name", "customer.name"):
            continue  # a symbol, or a name read as words: checked on synthetic pages
        party, _, attribute = name.partition(".")
        value = getattr(getattr(invoice, party), attribute) if attribute else getattr(invoice, name)
        assert shows(text_in_box(data, spots[0]), value), (name, value, text_in_box(data, spots[0]))


@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract is not installed")
def test_an_image_gets_boxes_in_fractions_of_its_own_size():
    import pypdfium2

    data = draw([(50, 100, "Invoice number: QX-47219"), (300, 300, "Total amount due"), (470, 300, "318,40")])
    image = pypdfium2.PdfDocument(data)[0].render(scale=200 / 72).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(200, 200))
    invoice = extract_bytes(buffer.getvalue(), "scan.png").invoices[0]
    assert invoice.invoice_number == "QX-47219"
    x0, top, x1, bottom = invoice.locations["invoice_number"][0]["box"]
    # drawn at x=50pt from "Invoice number: " onwards, on the baseline 100pt down an A4 page
    assert 50 / A4[0] < x0 < x1 < 0.5 and top < 100 / A4[1] < bottom + 0.01


# ----------------------------------------------------------------------------- the page images the boxes go on


def test_the_pages_are_shown_as_pngs_of_the_pages_proportions():
    from PIL import Image

    from invoice_import.engine.preview import PREVIEW_DPI, page_images
    from invoice_import.engine.sandbox import render_isolated

    data = draw([(50, 100, "Invoice number: NW-1")])
    for pages in (page_images(data, "a.pdf"), render_isolated(data, "a.pdf", fork=True)):
        assert len(pages) == 1
        image = Image.open(io.BytesIO(pages[0]))
        assert image.format == "PNG"
        assert abs(image.width - A4[0] * PREVIEW_DPI / 72) <= 1 and abs(image.height - A4[1] * PREVIEW_DPI / 72) <= 1
    assert page_images(b"number;total\nA1;10.00\n", "a.csv") == []


# ----------------------------------------------------------------------------- OCR: boxes on a prepared copy


def _dark_spot(image) -> tuple[float, float]:
    """The centre of the dark pixels of a gray image."""
    import numpy as np

    ys, xs = np.nonzero(np.asarray(image) < 128)
    return float(xs.mean()) + 0.5, float(ys.mean()) + 0.5


@pytest.mark.parametrize(
    "steps",
    [
        [("scale", 1.5)],
        [("rotate", 3.0)],
        [("rotate", -2.0), ("crop", 40, 25), ("scale", 2.0)],
        [("turn", 90)],
        [("turn", 180), ("scale", 0.5)],
        [("rotate", 1.0), ("turn", 270), ("scale", 1.25)],
    ],
    ids=str,
)
def test_a_box_on_the_prepared_copy_maps_back_onto_the_page(steps):
    """Each step done with PIL as the OCR preparation does it; the mark read on the copy lands where it was."""
    from PIL import Image, ImageDraw

    from invoice_import.engine.layout import PageFrame

    page = Image.new("L", (400, 300), 255)
    ImageDraw.Draw(page).rectangle((250, 60, 262, 70), fill=0)
    copy, done = page, []
    for step in steps:
        if step[0] == "scale":
            size = copy.size
            copy = copy.resize((round(copy.width * step[1]), round(copy.height * step[1])))
            done.append(("scale", copy.width / size[0], copy.height / size[1]))
        elif step[0] == "rotate":
            size = copy.size
            copy = copy.rotate(step[1], expand=True, fillcolor=255)
            done.append(("rotate", step[1], size, copy.size))
        elif step[0] == "crop":
            copy = copy.crop((step[1], step[2], copy.width, copy.height))
            done.append(step)
        else:
            size = copy.size
            transpose = {
                90: Image.Transpose.ROTATE_90,
                180: Image.Transpose.ROTATE_180,
                270: Image.Transpose.ROTATE_270,
            }
            copy = copy.transpose(transpose[step[1]])
            done.append(("turn", step[1], size))
    x, y = _dark_spot(copy)
    x0, top, x1, bottom = PageFrame(400, 300, done).source_box(x - 1, y - 1, x + 1, y + 1)
    assert abs((x0 + x1) / 2 - 256.5) < 2.5 and abs((top + bottom) / 2 - 65.5) < 2.5


@pytest.mark.skipif(not shutil.which("tesseract"), reason="tesseract is not installed")
@pytest.mark.parametrize("degrees", [2, 180])
def test_a_crooked_or_upside_down_scan_gets_its_boxes_on_the_scan(degrees):
    import math

    import pypdfium2

    data = draw([(50, 100, "Invoice number: QX-47219"), (300, 300, "Total amount due"), (470, 300, "318,40")])
    image = pypdfium2.PdfDocument(data)[0].render(scale=200 / 72).to_pil().convert("L")
    # where the number is on the straight page, as a fraction of it
    textpage = pypdfium2.PdfDocument(data)[0].get_textpage()
    searcher = textpage.search("QX-47219")
    index, count = searcher.get_next()
    boxes = [textpage.get_charbox(i) for i in range(index, index + count)]
    cx = (min(b[0] for b in boxes) + max(b[2] for b in boxes)) / 2 / A4[0]
    cy = 1 - (min(b[1] for b in boxes) + max(b[3] for b in boxes)) / 2 / A4[1]
    scan = image.rotate(degrees, fillcolor=255)  # the same canvas: a sheet fed crooked, or upside down
    radians = math.radians(degrees)
    dx, dy = (cx - 0.5) * image.width, (cy - 0.5) * image.height
    expected = (
        0.5 + (dx * math.cos(radians) + dy * math.sin(radians)) / image.width,
        0.5 + (-dx * math.sin(radians) + dy * math.cos(radians)) / image.height,
    )
    buffer = io.BytesIO()
    scan.save(buffer, format="PNG", dpi=(200, 200))
    invoice = extract_bytes(buffer.getvalue(), "scan.png").invoices[0]
    assert invoice.invoice_number == "QX-47219"
    x0, top, x1, bottom = invoice.locations["invoice_number"][0]["box"]
    assert x0 < expected[0] < x1 and top - 0.005 < expected[1] < bottom + 0.005


@pytest.mark.parametrize("degrees", [90, 180, 270])
def test_a_page_a_viewer_turns_gets_its_boxes_on_the_page_as_shown(degrees):
    import pypdf

    data = draw([(50, 100, "Invoice number: QX-47219"), (300, 300, "Total amount due"), (470, 300, "318,40")])
    straight = extract_bytes(data, "a.pdf").invoices[0].locations["invoice_number"][0]["box"]
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(io.BytesIO(data)))
    writer.pages[0].rotate(degrees)
    buffer = io.BytesIO()
    writer.write(buffer)
    turned = extract_bytes(buffer.getvalue(), "a.pdf").invoices[0]
    x0, top, x1, bottom = turned.locations["invoice_number"][0]["box"]
    cx, cy = (straight[0] + straight[2]) / 2, (straight[1] + straight[3]) / 2
    # turned clockwise on screen: a point (x, y) of the page goes to (1 - y, x) at 90 degrees
    expected = {90: (1 - cy, cx), 180: (1 - cx, 1 - cy), 270: (cy, 1 - cx)}[degrees]
    assert x0 < expected[0] < x1 and top < expected[1] < bottom
