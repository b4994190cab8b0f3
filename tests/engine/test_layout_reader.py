"""The layout reader: positioned words in, values found by geometry and checked, parties told apart.

Pages are drawn here with reportlab at chosen positions (a label above
its value, a header row over its column, two address blocks side by side)
and read back through the product's own path (``extract_bytes``: pdfium's
character boxes -> ``layout.Layout`` -> the template-free reader).  The
geometry helpers are also tested on words given directly, as OCR gives
them.  No corpus file is pinned here: these layouts are made up.
"""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from invoice_import.engine.extract import extract_bytes
from invoice_import.engine.freeform import extract_from_layout, extract_from_text
from invoice_import.engine.freeform.taxids import find_ibans, vat_number
from invoice_import.engine.layout import Layout, Word, tesseract_words, words_from_characters
from invoice_import.engine.pivot import Party

D = Decimal


def draw(items: list[tuple[float, float, str]], size: int = 10) -> bytes:
    """A4 page with each text at (x, y from the top) in points; a text starting with '>' is right-aligned at x."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica", size)
    height = A4[1]
    for x, y, text in items:
        if text.startswith(">"):
            pdf.drawRightString(x, height - y, text[1:])
        else:
            pdf.drawString(x, height - y, text)
    pdf.save()
    return buffer.getvalue()


def read(items, **kwargs):
    (invoice,) = extract_bytes(draw(items), filename="drawn.pdf", **kwargs).invoices
    return invoice


def words(*rows: tuple[float, float, str]) -> list[Word]:
    """Words of ``text`` at (x, top), each word 6 units per character wide and 10 high, as OCR boxes them."""
    found = []
    for x, top, text in rows:
        for word in text.split(" "):
            if word:
                found.append(Word(word, x, top, x + 6 * len(word), top + 10))
            x += 6 * (len(word) + 1)
    return found


# ----------------------------------------------------------------------------- layout


def test_words_of_one_line_split_into_cells_at_column_gaps():
    layout = Layout([words((40, 100, "Invoice date:"), (300, 101, "05.03.2018"), (40, 130, "Next line"))])
    first, second = layout.lines
    assert [cell.text for cell in first.cells] == ["Invoice date:", "05.03.2018"]
    assert second.text == "Next line"
    assert first.x_of(0, 7) == (40, 82)  # "Invoice"


def test_characters_without_spaces_become_words_by_their_gaps():
    # a generator that places every glyph on its own and prints no space characters
    chars = [(ch, 10 + 6 * i, 100, 16 + 6 * i, 110) for i, ch in enumerate("Total")]
    chars += [(ch, 60 + 6 * i, 100, 66 + 6 * i, 110) for i, ch in enumerate("12.50")]
    assert [word.text for word in words_from_characters(chars, 0)] == ["Total", "12.50"]


def test_tesseract_data_becomes_words_with_boxes():
    data = {
        "text": ["", "Total", "42.00", " "],
        "conf": ["-1", "96.5", "91", "-1"],
        "left": [0, 10, 200, 0],
        "top": [0, 50, 52, 0],
        "width": [0, 40, 35, 0],
        "height": [0, 12, 12, 0],
    }
    found = tesseract_words(data, page=2)
    assert [(w.text, w.x0, w.x1, w.page) for w in found] == [("Total", 10, 50, 2), ("42.00", 200, 235, 2)]
    assert found[0].confidence == pytest.approx(0.965)


def test_the_cell_below_skips_lines_that_print_nothing_under_the_label():
    layout = Layout(
        [
            words(
                (40, 100, "Seller Street 1"),
                (350, 100, "Invoice number"),
                (40, 115, "12345 Town"),  # the address block beside the header: nothing under the label
                (350, 115, "RE-778"),
            )
        ]
    )
    label_line = layout.lines[0]
    span = label_line.x_of(label_line.text.index("Invoice"), len(label_line.text))
    index, cell = layout.cell_below(0, *span)
    assert cell.text == "RE-778" and index == 1


# ----------------------------------------------------------------------------- labels find values


def test_label_left_of_its_value_far_along_the_same_line():
    invoice = read(
        [
            (50, 60, "Blue Harbour Trading Ltd"),
            (50, 160, "Invoice number"),
            (400, 160, "BH-2024-0042"),
            (50, 176, "Invoice date"),
            (400, 176, "14 May 2024"),
            (50, 400, "Total due"),
            (450, 400, ">1,234.50"),
            (50, 420, "All amounts in GBP"),
        ]
    )
    assert invoice.invoice_number == "BH-2024-0042"
    assert invoice.issue_date == dt.date(2024, 5, 14)
    assert invoice.amount_total == D("1234.50")


def test_header_row_over_its_values_beside_an_address_block():
    """Two-column header: the seller's address on the left, a row of titles with values under them on the right."""
    invoice = read(
        [
            (50, 60, "Nordlicht Werkzeuge GmbH"),
            (50, 74, "Hafenweg 3"),
            (300, 74, "Rechnungsnr."),
            (400, 74, "Datum"),
            (480, 74, "Fällig am"),
            (50, 88, "20095 Hamburg"),
            (300, 88, "NW-5531"),
            (400, 88, "03.06.2024"),
            (480, 88, "03.07.2024"),
            (50, 400, "Gesamtbetrag"),
            (540, 400, ">595,00 EUR"),
        ]
    )
    assert invoice.invoice_number == "NW-5531"
    assert invoice.issue_date == dt.date(2024, 6, 3)
    assert invoice.due_date == dt.date(2024, 7, 3)
    assert invoice.currency == "EUR"


def test_totals_under_a_column_title_and_a_footer_of_columns():
    """A totals table whose titles head their column, and a footer whose 'VAT ID' heads the number under it."""
    invoice = read(
        [
            (50, 60, "Atelier Lumière SARL"),
            (50, 120, "Facture N° FA-2024-118"),
            (50, 136, "Date de facture : 12/04/2024"),
            (300, 500, "Total HT"),
            (400, 500, "TVA"),
            (500, 500, "Total TTC"),
            (340, 514, ">1 000,00"),
            (440, 514, ">200,00"),
            (540, 514, ">1 200,00"),
            (50, 760, "Atelier Lumière SARL"),
            (250, 760, "N° TVA"),
            (400, 760, "IBAN"),
            (50, 774, "4 rue des Arts, 69001 Lyon"),
            (250, 774, "FR40303265045"),
            (400, 774, "FR76 3000 6000 0112 3456 7890 189"),
        ]
    )
    totals = (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total)
    assert totals == (D("1000.00"), D("200.00"), D("1200.00"))
    assert invoice.supplier.vat == "FR40303265045"
    assert invoice.supplier.iban == "FR7630006000011234567890189"
    assert invoice.supplier.name == "Atelier Lumière SARL"


def test_number_and_date_inside_one_sentence_and_an_order_date_that_is_not_the_issue_date():
    invoice = read(
        [
            (50, 60, "Rheinland Metallbau GmbH"),
            (50, 74, "Industriestr. 9, 50667 Köln"),
            (50, 140, "Handelsrechnung Nr. 471102 vom 05.03.2018"),
            (50, 156, "Rechnung gemäß Bestellung vom 01.03.2018"),
            (50, 400, "Rechnungsbetrag"),
            (540, 400, ">238,00 EUR"),
        ]
    )
    assert invoice.invoice_number == "471102"
    assert invoice.issue_date == dt.date(2018, 3, 5)


def test_an_order_date_alone_is_not_taken_for_the_issue_date():
    invoice = extract_from_text(["Rheinland Metallbau GmbH\nRechnung gemäß Bestellung vom 01.03.2018\nRechnungsnr. 88"])
    assert invoice.issue_date is None


@pytest.mark.parametrize(
    ("number_label", "date_label", "total_label", "number", "date", "total"),
    [
        ("Número de factura:", "Fecha de factura:", "Total factura", "F-2024/77", "15/02/2024", "1.089,00 EUR"),
        ("Numero fattura:", "Data fattura:", "Totale documento", "77/2024", "15/02/2024", "1.089,00 EUR"),
    ],
)
def test_spanish_and_italian_labels(number_label, date_label, total_label, number, date, total):
    invoice = read(
        [
            (50, 60, "Comercial Mediterránea S.L."),
            (50, 140, number_label),
            (200, 140, number),
            (50, 156, date_label),
            (200, 156, date),
            (50, 400, total_label),
            (540, 400, ">" + total),
        ]
    )
    assert invoice.invoice_number == number
    assert invoice.issue_date == dt.date(2024, 2, 15)
    assert invoice.amount_total == D("1089.00")


# ----------------------------------------------------------------------------- validators


def test_vat_numbers_are_checked_by_their_check_digits():
    assert vat_number("DE136695976") == ("DE136695976", True)
    assert vat_number("DE136695975") == ("DE136695975", False)  # well formed, wrong check digit
    assert vat_number("ESB58378431") == ("ESB58378431", True)
    assert vat_number("GB980780684") == ("GB980780684", True)
    assert vat_number("CHE-116.281.710 MWST") == ("CHE116281710MWST", True)


def test_iban_is_checked():
    assert find_ibans("IBAN DE89 3704 0044 0532 0130 00")[0][2] == "DE89370400440532013000"
    assert find_ibans("IBAN DE88 3704 0044 0532 0130 00") == []


def test_a_due_date_before_the_issue_date_is_not_the_due_date():
    invoice = extract_from_text(["Invoice number: 7781\nInvoice date: 10/05/2024\nDue date: 01/05/2024\nTotal 10.00"])
    assert invoice.issue_date == dt.date(2024, 5, 10)
    assert invoice.due_date != dt.date(2024, 5, 1)


def test_a_wrong_check_digit_lowers_the_vat_confidence():
    good = extract_from_text(["Nordlicht GmbH\nUSt-IdNr: DE136695976\nRechnung Nr. 5\nGesamtbetrag 10,00"])
    bad = extract_from_text(["Nordlicht GmbH\nUSt-IdNr: DE136695975\nRechnung Nr. 5\nGesamtbetrag 10,00"])
    assert good.supplier.vat == "DE136695976" and bad.supplier.vat == "DE136695975"
    assert bad.confidence["supplier.vat"] < good.confidence["supplier.vat"]


# ----------------------------------------------------------------------------- seller and buyer


def test_the_buyer_given_by_the_caller_is_never_the_supplier():
    """The buyer's name and VAT printed large at the top (an address window) do not make it the supplier."""
    rows = [
        (50, 60, "Globex Handels GmbH"),
        (50, 74, "USt-IdNr: DE136695976"),
        (350, 60, "Kramer Elektro GmbH"),
        (350, 74, "USt-IdNr: DE811569869"),
        (50, 140, "Rechnung Nr. 2024-311"),
        (50, 400, "Gesamtbetrag"),
        (540, 400, ">119,00 EUR"),
    ]
    invoice = read(rows, buyer=Party(name="Globex Handels GmbH", vat="DE 136 695 976"))
    assert invoice.supplier.vat == "DE811569869"
    assert invoice.supplier.name == "Kramer Elektro GmbH"
    assert invoice.customer.vat == "DE136695976"


def test_a_bare_legal_form_is_never_the_supplier_name():
    layout = Layout(
        [
            words(
                (40, 40, "GmbH"),
                (40, 60, "Rechnung Nr. 12"),
                (40, 700, "Lindner Feinkost GmbH"),
                (300, 700, "Sitz: Ulm"),
            )
        ]
    )
    invoice = extract_from_layout(layout)
    assert invoice.supplier.name == "Lindner Feinkost GmbH"


def test_the_customer_column_beside_the_seller_column_keeps_each_party_its_own_vat():
    """'Bill to' heads the right column only: the seller's VAT number on the same lines, left, stays the seller's."""
    invoice = read(
        [
            (50, 60, "Fjord Components AS"),
            (330, 60, "Bill to:"),
            (50, 74, "Kaigata 4, 5003 Bergen"),
            (330, 74, "Tidewater Imports Ltd"),
            (50, 88, "VAT No: GB980780684"),
            (330, 88, "VAT No: GB244444134"),
            (50, 160, "Invoice number: FC-1207"),
            (50, 176, "Invoice date: 02/09/2024"),
            (50, 400, "Total due"),
            (540, 400, ">£480.00"),
        ]
    )
    assert invoice.supplier.vat == "GB980780684"
    assert invoice.customer.vat == "GB244444134"
    assert invoice.supplier.name == "Fjord Components AS"
    assert invoice.currency == "GBP"


def test_a_scanned_multi_page_tiff_is_read_from_ocr_words(tmp_path):
    """Two pages scanned into one TIFF: tesseract's word boxes of both pages make one layout."""
    if shutil.which("tesseract") is None or shutil.which("pdftoppm") is None:
        pytest.skip("tesseract or pdftoppm not installed")
    from PIL import Image

    from invoice_import.engine.limits import Limits

    first = draw([(50, 60, "Harbour Supplies Ltd"), (50, 140, "Invoice number:"), (250, 140, "HS-4410")], size=14)
    second = draw([(50, 100, "Total due"), (400, 100, "GBP 96.00")], size=14)
    frames = []
    for index, pdf in enumerate((first, second)):
        (tmp_path / f"{index}.pdf").write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "150",
                "-gray",
                "-png",
                "-singlefile",
                str(tmp_path / f"{index}.pdf"),
                str(tmp_path / f"{index}"),
            ],
            check=True,
        )
        frames.append(Image.open(tmp_path / f"{index}.png"))
    tiff = io.BytesIO()
    frames[0].save(tiff, "TIFF", save_all=True, append_images=frames[1:], dpi=(150, 150))
    (invoice,) = extract_bytes(tiff.getvalue(), filename="scan.tif", limits=Limits(ocr_languages="eng")).invoices
    assert invoice.source == "ocr"
    assert invoice.invoice_number == "HS-4410"
    assert invoice.amount_total == D("96.00") and invoice.currency == "GBP"
