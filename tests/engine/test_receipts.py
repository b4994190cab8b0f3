"""Shop receipts: told apart from invoices, and read (seller, date, total, tax, currency) in several layouts.

The receipts here are made up for the tests (reportlab's Courier on a till
roll's width, rendered by poppler as a scanner would), each in a layout and
currency of its own, and go through the product's path: decoding, OCR and
the receipt reader.  The text-only tests pin the reader's rules (which of a
till's amounts is the total) without OCR.
"""

import datetime as dt
import io
from decimal import Decimal

import pytest
from PIL import Image, ImageFilter

from invoice_import.engine.errors import ExtractionError
from invoice_import.engine.extract import extract_bytes
from invoice_import.engine.freeform import extract_from_text
from invoice_import.engine.freeform.receipt import (
    carries_tax,
    looks_like_receipt,
    printed_tax,
    read_receipt,
    receipt_evidence,
    repair_amount_glyphs,
    repaired_label,
)
from invoice_import.engine.images import heif_available
from invoice_import.engine.limits import Deadline, Limits
from invoice_import.engine.ocr import OcrText, OcrWord
from invoice_import.engine.pdf import open_pdf
from invoice_import.engine.sniff import IMAGE, sniff

from .hostile_files import invoice_pdf

MALAYSIAN = [
    "KEDAI BESI MAJU SDN BHD",
    "(123456-K)",
    "NO 12, JALAN INDAH 3",
    "81100 JOHOR BAHRU",
    "TEL 07-3312345",
    "TAX INVOICE",
    ("Doc No: CS00012345", "Date: 25/12/2018"),
    ("Cashier: USER", "Time: 10:31:00"),
    ("Item          Qty", "Amount (RM)"),
    ("PVC PIPE 20MM   2", "18.20"),
    ("CEMENT 50KG     1", "22.50"),
    ("Total Sales (Excluding GST):", "40.70"),
    ("Total GST:", "2.44"),
    ("Rounding:", "-0.04"),
    ("Total Sales (Inclusive of GST):", "43.10"),
    ("CASH", "50.00"),
    ("CHANGE", "6.90"),
    "GOODS SOLD ARE NOT RETURNABLE",
]
BRITISH = [
    "Hartley Builders Merchants Ltd",
    "Unit 4, Mill Lane Trading Estate",
    "Leeds LS12 6AB",
    "SALE RECEIPT",
    "03 Mar 2024 14:05",
    ("Timber 2x4 3.6m x4", "£35.96"),
    ("Screws 5x50 box", "£8.49"),
    ("SUBTOTAL", "£44.45"),
    ("VAT 20% included", "£7.41"),
    ("TOTAL", "£44.45"),
    ("CARD", "£44.45"),
    ("CHANGE", "£0.00"),
    "Thank you for shopping with us",
]
AUSTRALIAN = [
    "BAYSIDE HARDWARE PTY LTD",
    "ABN 51 824 753 556",
    "12 Beach Rd Sandringham VIC 3191",
    "RECEIPT",
    ("Date: 14/02/2024", "Time: 09:12"),
    ("Hinge brass 75mm 2 @ 6.50", "A$13.00"),
    ("Sealant clear", "A$11.95"),
    ("GRAND TOTAL", "A$24.95"),
    ("GST included", "A$2.27"),
    ("EFTPOS", "A$24.95"),
    "Thank you",
]
GERMAN = [
    "Baumarkt Krämer GmbH",
    "Industriestraße 7",
    "50667 Köln",
    "Kassenbon Nr. 4711",
    "05.03.2024 09:12",
    ("Schrauben 4x40", "3,80"),
    ("Dübel 8mm", "4,99"),
    ("Silikon weiß", "15,01"),
    ("Summe EUR", "23,80"),
    ("Bar", "50,00"),
    ("Rückgeld", "26,20"),
    ("MwSt 19%", "3,80"),
    "Vielen Dank für Ihren Einkauf",
]
AMERICAN = [
    "CORNER HARDWARE INC",
    "1200 Main Street",
    "Springfield, IL 62701",
    "(217) 555-0142",
    "12/24/2023 4:15 PM",
    ("HAMMER 16OZ", "$19.99"),
    ("NAILS 2LB", "$6.49"),
    ("SUBTOTAL", "$26.48"),
    ("SALES TAX 6.25%", "$1.66"),
    ("TOTAL", "$28.14"),
    ("CASH", "$30.00"),
    ("CHANGE", "$1.86"),
    "THANK YOU FOR SHOPPING",
]


def as_text(lines) -> str:
    return "\n".join(line if isinstance(line, str) else f"{line[0]}   {line[1]}" for line in lines)


def receipt_pdf(lines, font_size: float = 9.0, width_chars: int = 40) -> bytes:
    """A till roll as a PDF page: Courier, as wide as ``width_chars`` characters, amounts right-aligned."""
    from reportlab.pdfgen import canvas

    margin, leading = 12.0, font_size * 1.35
    width = width_chars * font_size * 0.6 + 2 * margin
    height = len(lines) * leading + 2 * margin
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=(width, height))
    pdf.setFont("Courier", font_size)
    y = height - margin - font_size
    for line in lines:
        left, right = (line, "") if isinstance(line, str) else line
        pdf.drawString(margin, y, left)
        if right:
            pdf.drawRightString(width - margin, y, right)
        y -= leading
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def receipt_image(lines, dpi: int = 200) -> Image.Image:
    with open_pdf(receipt_pdf(lines), Limits(), Deadline(60)) as doc:
        return doc.render_page(0, dpi)


def image_only_pdf(image: Image.Image, dpi: int) -> bytes:
    """A PDF page of the image's own size at ``dpi``: a scanned receipt without a text layer."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    size = (image.width * 72 / dpi, image.height * 72 / dpi)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=size)
    pdf.drawImage(ImageReader(image), 0, 0, width=size[0], height=size[1])
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encoded(image: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def read(lines) -> object:
    page = OcrText(as_text(lines), till_roll=True)
    return read_receipt([page], base=extract_from_text([page]))


# ----------------------------------------------------------------------------- the reader on text


def test_the_rounded_total_after_tax_is_the_total_not_the_subtotal_cash_or_change():
    receipt = read(MALAYSIAN)
    assert receipt.supplier.name == "KEDAI BESI MAJU SDN BHD"
    assert receipt.issue_date == dt.date(2018, 12, 25)
    assert receipt.amount_total == Decimal("43.10")
    assert receipt.amount_tax == Decimal("2.44")
    assert receipt.currency == "MYR"
    assert receipt.invoice_number == "CS00012345"
    assert receipt.due_date is None
    assert receipt.confidence["amount_total"] >= 0.8
    assert any("read as a shop receipt" in warning for warning in receipt.warnings)


@pytest.mark.parametrize(
    ("lines", "seller", "date", "total", "tax", "currency"),
    [
        (BRITISH, "Hartley Builders Merchants Ltd", dt.date(2024, 3, 3), "44.45", "7.41", "GBP"),
        (AUSTRALIAN, "BAYSIDE HARDWARE PTY LTD", dt.date(2024, 2, 14), "24.95", "2.27", "AUD"),
        (GERMAN, "Baumarkt Krämer GmbH", dt.date(2024, 3, 5), "23.80", "3.80", "EUR"),
        (AMERICAN, "CORNER HARDWARE INC", dt.date(2023, 12, 24), "28.14", "1.66", "USD"),
    ],
)
def test_layouts_and_currencies(lines, seller, date, total, tax, currency):
    receipt = read(lines)
    assert (receipt.supplier.name, receipt.issue_date, receipt.currency) == (seller, date, currency)
    assert (receipt.amount_total, receipt.amount_tax) == (Decimal(total), Decimal(tax))


def test_a_bare_dollar_sign_is_usd_with_a_warning():
    receipt = read(AMERICAN)
    assert receipt.confidence["currency"] < 0.6
    assert any("'$' alone" in warning for warning in receipt.warnings)


def test_cash_minus_change_settles_between_two_totals():
    lines = ["ACME TOOLS LTD", "RECEIPT", "01/02/2024 12:00", ("TOTAL", "12.00"), ("TOTAL", "15.00")]
    lines += [("CASH", "20.00"), ("CHANGE", "5.00")]
    assert read(lines).amount_total == Decimal("15.00")


def test_a_total_after_the_payment_lines_is_a_summary_not_the_total():
    lines = MALAYSIAN + ["GST SUMMARY", ("Total:", "40.70")]
    assert read(lines).amount_total == Decimal("43.10")


def test_without_a_total_label_cash_minus_change_is_the_total():
    lines = ["ACME TOOLS LTD", "RECEIPT", "01/02/2024 12:00", ("BOLTS M8", "7.40"), ("CASH", "10.00")]
    lines += [("CHANGE", "2.60")]
    receipt = read(lines)
    assert receipt.amount_total == Decimal("7.40")
    assert any("cash minus change" in warning for warning in receipt.warnings)


def test_a_name_whose_legal_form_is_on_the_next_line_is_one_name():
    lines = ["Welcome", "Riverside Timber", "Sdn Bhd", "(778899-A)", "Lot 5, Jalan Besar 2"] + MALAYSIAN[5:]
    assert read(lines).supplier.name == "Riverside Timber Sdn Bhd"


def test_the_name_ends_at_its_legal_form_and_its_misread_sdn_bhd_is_repaired():
    # OCR read "SDN BHD (502719-U)" as "SON DHD SO2719-U": the company number is not part of the name
    lines = ["GOLDEN LEAF BAKERY SON DHD SO2719-U", "NO 3, JALAN MAWAR 1"] + MALAYSIAN[3:]
    assert read(lines).supplier.name == "GOLDEN LEAF BAKERY SDN BHD"
    assert read(["Pekan Timber Sén Bhd"] + MALAYSIAN[1:]).supplier.name == "Pekan Timber Sdn Bhd"


@pytest.mark.parametrize(
    ("first_line", "name"),
    [
        ("SUPER SEVEN CASH & CARRY Sdn Bhd we, § é- OF", "SUPER SEVEN CASH & CARRY Sdn Bhd"),  # a photo's noise
        ("HARTLEY BUILDERS LTD . ~", "HARTLEY BUILDERS LTD"),
        ("KEDAI BESI MAJU SDN BHD HARDWARE", "KEDAI BESI MAJU SDN BHD HARDWARE"),  # words go on: not noise
    ],
)
def test_noise_after_the_legal_form_is_not_part_of_the_name(first_line, name):
    assert read([first_line] + MALAYSIAN[1:]).supplier.name == name


def test_an_owner_line_that_ocr_split_in_two_words_still_names_the_owner():
    lines = ["Dimi liki: Kopi Bersama Sdn Bhd", "(778899-A)"] + MALAYSIAN[2:]
    assert read(lines).supplier.name == "Kopi Bersama Sdn Bhd"


HEADER = ["KEDAI BESI MAJU SDN BHD", "(123456-K)", "NO 12, JALAN INDAH 3", "TAX INVOICE", "Date: 25/12/2018 10:31"]


def test_a_dash_ending_a_leader_is_not_a_minus():
    lines = HEADER + ["Total (Inclusive of GST): 23.26", "Rounding Adj: -0.01", "TOTAL: ==——-23.25", "CASH 50.00"]
    assert read(lines).amount_total == Decimal("23.25")


def test_leader_dots_ocr_read_as_a_guillemet_or_a_bullet_before_a_dash_are_no_minus():
    lines = HEADER + ["1 STAPLES 2 x 14.20 28.40", "Total Sales Inclusive GST @6% ~~~«-28.40", "CASH 50.00"]
    assert read(lines).amount_total == Decimal("28.40")


def test_a_payable_amount_ocr_split_is_taken_when_the_rounding_adds_up_to_it():
    lines = HEADER + ["Total (Incl GST) RM15.39", "Rounding RM0.01", "Grand Total M1 5 . 40", "Cash RM50.00"]
    assert read(lines).amount_total == Decimal("15.40")
    # the pieces do not add up with anything: a plain printed total stays the surer reading
    lines = HEADER + ["Total RM15.39", "Grand Total 7 -", "Cash RM20.00", "Change RM4.61"]
    assert read(lines).amount_total == Decimal("15.39")


def test_total_paid_is_what_was_handed_over_not_the_total():
    lines = HEADER + ["Rounding", "Grand total RM2 1 85", "Total Paid RM50.00", "RM28.15"]
    assert read(lines).amount_total == Decimal("21.85")
    lines = HEADER + ["Item 1  44.45", "Total paid by card 44.45"]
    assert read(lines).amount_total == Decimal("44.45")  # nothing else: paid by card, what was paid is the total


def test_the_total_after_the_rounding_line_is_the_rounded_one_whatever_sign_ocr_left():
    # "-0.01" read as "~0.01": the total printed after the rounding line is still the rounded total
    lines = HEADER + ["Total (Inclusive of GST): 23.26", "Rounding Adj: ~0.01", "TOTAL: 23.25", "CASH 50.00"]
    assert read(lines).amount_total == Decimal("23.25")


def test_a_company_number_line_under_the_name_is_not_a_name():
    lines = ["HASHA PETROKIOSK", "ponpany No: JH0632980-V", "Lot 198718 Jalan Sierra"] + MALAYSIAN[5:]
    assert read(lines).supplier.name == "HASHA PETROKIOSK"


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("13/04/2013", "13/04/2018", dt.date(2018, 4, 13)),
        ("16/03/2018", "18/03/2018", dt.date(2018, 3, 18)),
        ("16/03/2018", "16/03/2018", dt.date(2018, 3, 16)),
        ("16/03/2018", "17/03/2018", dt.date(2018, 3, 16)),  # not one faded digit apart: the labelled date
    ],
)
def test_a_date_printed_twice_with_one_digit_faded_is_read_with_the_digit_whole(first, second, expected):
    lines = [*HEADER[:4], f"Date : {first} 2:26 PM", "Cashier: ALI", f"PRN ON : {second} 2:53 PM"] + MALAYSIAN[8:]
    assert read(lines).issue_date == expected


def test_a_date_ocr_put_spaces_into_is_read():
    lines = ["KEDAI BESI MAJU SDN BHD", "(123456-K)", "Date : 13- 09-2017 Time ; 1648"] + MALAYSIAN[8:]
    assert read(lines).issue_date == dt.date(2017, 9, 13)


def test_ocr_misreadings_of_amounts_are_repaired_only_in_amounts():
    assert repair_amount_glyphs("Rounding Adj RMO.02") == "Rounding Adj RM0.02"
    assert repair_amount_glyphs("Net Total RM28 05") == "Net Total RM28.05"
    assert repair_amount_glyphs("TOTAL S2.00") == "TOTAL 52.00"
    assert repair_amount_glyphs("CARD £44 -45") == "CARD £44.45"
    assert repair_amount_glyphs("SOLD TO SOLO") == "SOLD TO SOLO"


def test_an_invoice_is_not_taken_for_a_receipt():
    with open_pdf(invoice_pdf(lines=8), Limits(), Deadline(60)) as doc:
        pages = doc.pages_text()
    assert not looks_like_receipt(pages)
    invoice_text = [
        "Acme Supplies Ltd\nInvoice number: INV-7\nInvoice date: 01/03/2024\nDue date: 31/03/2024\nBill to: Bob\n"
        "Widget 10.00\nTotal 10.00\nIBAN GB33BUKB20201555555555"
    ]
    evidence = receipt_evidence(invoice_text)
    assert not evidence.is_receipt and any(clue.startswith("invoice words") for clue in evidence.clues)
    assert looks_like_receipt([as_text(MALAYSIAN)])


# ----------------------------------------------------------------------------- through OCR, in each file format


def _assert_read(result, seller_start, date, total, currency):
    [receipt] = result.invoices
    assert receipt.source == "ocr"
    assert receipt.supplier.name and receipt.supplier.name.upper().startswith(seller_start.upper())
    assert receipt.issue_date == date
    assert receipt.amount_total == Decimal(total)
    assert receipt.currency == currency


def test_jpeg_photo_of_a_receipt():
    data = encoded(receipt_image(MALAYSIAN).convert("RGB"), "JPEG", quality=85)
    _assert_read(extract_bytes(data, "receipt.jpg"), "KEDAI BESI MAJU", dt.date(2018, 12, 25), "43.10", "MYR")


def test_png_receipt_with_small_print_is_enlarged_and_read():
    # rendered at 100 dpi: 9-point Courier is about 12 pixels high
    data = encoded(receipt_image(BRITISH, dpi=100), "PNG")
    _assert_read(extract_bytes(data, "receipt.png"), "Hartley Builders", dt.date(2024, 3, 3), "44.45", "GBP")


def test_tiff_receipt_upside_down_is_turned_and_read():
    data = encoded(receipt_image(AMERICAN).rotate(180), "TIFF", compression="tiff_lzw")
    result = extract_bytes(data, "receipt.tif")
    _assert_read(result, "CORNER HARDWARE", dt.date(2023, 12, 24), "28.14", "USD")


def test_image_only_pdf_of_a_german_receipt_keeps_its_umlauts():
    data = image_only_pdf(receipt_image(GERMAN), 200)
    result = extract_bytes(data, "bon.pdf")
    _assert_read(result, "Baumarkt Kr", dt.date(2024, 3, 5), "23.80", "EUR")
    assert result.invoices[0].supplier.name == "Baumarkt Krämer GmbH"


@pytest.mark.skipif(not heif_available(), reason="pillow-heif is not installed")
def test_heic_photo_of_a_receipt():
    data = encoded(receipt_image(AUSTRALIAN).convert("RGB"), "HEIF", quality=90)
    assert sniff(data, "IMG_0001.HEIC") == IMAGE
    _assert_read(extract_bytes(data, "IMG_0001.HEIC"), "BAYSIDE HARDWARE", dt.date(2024, 2, 14), "24.95", "AUD")


def test_heic_without_a_decoder_is_a_clear_error(monkeypatch):
    from invoice_import.engine import images

    monkeypatch.setattr(images, "heif_available", lambda: False)
    heic_header = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
    with pytest.raises(ExtractionError) as error:
        extract_bytes(heic_header, "photo.heic")
    assert error.value.code == "unsupported_file"
    assert "HEIF decoder" in error.value.message


def photographed_on_a_table(receipt: Image.Image) -> tuple[Image.Image, list[tuple[float, float]]]:
    """The receipt on a dark table, photographed at an angle: (photo, the receipt's corners in the photo)."""
    from invoice_import.engine.images import _perspective_coefficients

    w, h = receipt.size
    table = Image.new("L", (w + 240, h + 240), 70)
    table.paste(receipt, (120, 120))
    # the top edge seen narrower than the bottom one: the phone was held above the receipt's bottom edge
    corners = [(120 + 0.08 * w, 120), (120 + 0.92 * w, 120 + 0.03 * h), (120 + w, 120 + h), (120, 120 + 0.98 * h)]
    flat = [(120, 120), (120 + w, 120), (120 + w, 120 + h), (120, 120 + h)]
    coefficients = _perspective_coefficients(corners, flat)
    photo = table.transform(table.size, Image.Transform.PERSPECTIVE, coefficients, Image.Resampling.BICUBIC, None, 70)
    return photo, corners


def test_receipt_photographed_at_an_angle_on_a_table_is_flattened_and_read():
    from invoice_import.engine.images import find_paper

    photo, corners = photographed_on_a_table(receipt_image(MALAYSIAN))
    found = find_paper(photo)
    assert found is not None
    for (x, y), (ex, ey) in zip(found, corners, strict=True):
        assert abs(x - ex) < 12 and abs(y - ey) < 12
    assert find_paper(receipt_image(MALAYSIAN)) is None  # a scan: no table around it
    data = encoded(photo.convert("RGB"), "JPEG", quality=90)
    _assert_read(extract_bytes(data, "photo.jpg"), "KEDAI BESI MAJU", dt.date(2018, 12, 25), "43.10", "MYR")


def test_a_payable_amount_with_a_digit_split_off_is_taken_when_the_rounding_adds_up_to_it():
    # "Grand Total RM21.85" read as "RM2 1.85": the amount pattern alone reads 1.85
    lines = HEADER + ["Total (Incl GST) RM21.83", "Rounding RM0.02", "Grand Total RM2 1.85", "Total Paid RM50.00"]
    assert read(lines).amount_total == Decimal("21.85")
    # nothing adds up to the joined reading: the amount as the pattern reads it, doubtfully
    receipt = read(HEADER + ["Grand Total 3 45.60"])
    assert receipt.amount_total == Decimal("45.60")
    assert receipt.confidence["amount_total"] < 0.6


def test_a_plain_total_above_all_that_was_handed_over_is_not_the_total():
    # a fuel receipt: the total's own amount unreadable, a gross figure misread; the cash is what was paid
    lines = HEADER + ["Total RM =©§0.00", "Cash RM 50.00", "Total Gross C RM 450.00"]
    assert read(lines).amount_total == Decimal("50.00")
    # a payable total is surer than a cash line OCR misread ("$3.00" for 53.00)
    lines = HEADER + ["Total Sales Inclusive GST 52.40", "TOTAL : 52.40", "CASH $3.00"]
    assert read(lines).amount_total == Decimal("52.40")


def test_an_unreadable_total_is_the_subtotal_plus_tax_and_rounding():
    lines = HEADER + ["SUB-TOTAL 6.60", "DISC 0.", "GST 0.40", "ROUNDING 0.00", "TOTAL -oo", "CASH -", "CHANGE -00"]
    receipt = read(lines)
    assert receipt.amount_total == Decimal("7.00")
    assert receipt.confidence["amount_total"] < 0.5
    assert any("subtotal plus the tax" in warning for warning in receipt.warnings)
    # no tax line: nothing says what was added to the subtotal, so no total is made up
    assert read(HEADER + ["SUB-TOTAL 6.60", "TOTAL -oo"]).amount_total is None
    # the tax is included in the prices (44.45 x 20 / 120 = 7.41): adding it again would be wrong, the subtotal is it
    assert read(HEADER + ["SUBTOTAL 44.45", "VAT 20% included 7.41", "TOTAL -oo"]).amount_total == Decimal("44.45")
    assert read(HEADER + ["SUBTOTAL 44.45", "VAT included 7.41", "TOTAL -oo"]).amount_total is None  # no rate


def test_a_name_printed_over_two_lines_is_one_name():
    # a restaurant's name and its branch, in capitals, over the tax number line
    lines = ["THE GOLDEN SPOON", "CHERAS", "GST Reg No: 001122334455", "Tax Invoice"] + MALAYSIAN[6:]
    assert read(lines).supplier.name == "THE GOLDEN SPOON CHERAS"


@pytest.mark.parametrize(
    "head, name",
    [
        # an address line under the name is not part of it, digits or not
        (["GOLDEN SPOON (123456-K)", "TAMAN MELATI", "JOHOR"], "GOLDEN SPOON"),
        # a brand over the registered name: each is a whole name, the registered one is the seller's
        (["FACE TO FACE NOODLE HOUSE", "FTOF NOODLE HOUSE", "(002049088-U)"], "FTOF NOODLE HOUSE"),
        # the owner is another party than the shop
        (["DIMILIKI OLEH SUDU EMAS", "GOLDEN SPOON", "(123456-K)"], "GOLDEN SPOON"),
        # a pen note in the margin is written otherwise than the print
        (["Ao oti", "GOLDEN SPOON", "(123456-K)"], "GOLDEN SPOON"),
        # a registered name ends at its legal form
        (["SELECT", "KEDAI BESI MAJU SDN BHD", "(123456-K)"], "KEDAI BESI MAJU SDN BHD"),
    ],
)
def test_a_line_beside_the_name_joins_it_only_when_it_continues_it(head, name):
    assert read(head + ["NO 12, JALAN INDAH 3", "TEL 07-3312345"] + MALAYSIAN[5:]).supplier.name == name


def test_a_time_stamp_whose_month_ocr_misread_is_repaired_when_one_lookalike_makes_it_a_date():
    stamp = ["KEDAI BESI MAJU SDN BHD", "(123456-K)", "TAX INVOICE NO : 195147", "{} 11:34:45 AM"]
    receipt = read([line.format("12-62-2018") for line in stamp] + MALAYSIAN[8:])
    assert receipt.issue_date == dt.date(2018, 2, 12)  # a round "0" read as "6"
    assert receipt.confidence["issue_date"] < 0.5
    # no time beside it: not a till's stamp, nothing to repair
    assert read(["KEDAI BESI MAJU SDN BHD", "(123456-K)", "12-62-2018"] + MALAYSIAN[8:]).issue_date is None
    # several repairs make a date (month "00": 06, 08 or 09): nothing tells which, so none is taken
    assert read([line.format("12-00-2018") for line in stamp] + MALAYSIAN[8:]).issue_date is None


SPANISH = [
    "FERRETERIA LOS PINOS S.L.",
    "C/ Mayor 14, 28013 Madrid",
    "NIF B12345678",
    "FACTURA SIMPLIFICADA",
    ("Fecha: 12/03/2024", "Hora: 10:15"),
    ("Tornillos 4x40 caja", "6,95"),
    ("Cinta americana", "4,50"),
    ("Subtotal", "11,45"),
    ("Redondeo", "0,00"),
    ("TOTAL A PAGAR EUR", "11,45"),
    ("Efectivo", "20,00"),
    ("Cambio", "8,55"),
    "IVA 21% incluido",
    "Gracias por su visita",
]
ITALIAN = [
    "FERRAMENTA ROSSI S.R.L.",
    "Via Roma 22, 20121 Milano",
    "P.IVA 01234567890",
    "DOCUMENTO COMMERCIALE",
    ("05-04-2024", "16:40"),
    ("Viti legno 4x30", "3,20"),
    ("Colla vinilica", "5,90"),
    ("Sconto", "-0,50"),
    ("TOTALE COMPLESSIVO", "8,60"),
    ("Contanti", "10,00"),
    ("Resto", "1,40"),
    "Grazie e arrivederci",
]
MALAY = [
    "KEDAI PERKAKASAN JAYA ENTERPRISE",
    "(JM0123456-X)",
    "NO 5, JALAN PASAR 2",
    "RESIT",
    ("Tarikh: 02/05/2019", "Masa: 11:02"),
    ("Paku 2 inci", "RM4.50"),
    ("Cat putih 1L", "RM18.90"),
    ("Jumlah kecil", "RM23.40"),
    ("Pembundaran", "RM0.00"),
    ("JUMLAH PERLU DIBAYAR", "RM23.40"),
    ("Tunai", "RM50.00"),
    ("Baki", "RM26.60"),
    "Terima kasih",
]


@pytest.mark.parametrize(
    ("lines", "seller", "date", "total"),
    [
        (SPANISH, "FERRETERIA LOS PINOS S.L", dt.date(2024, 3, 12), "11.45"),
        (ITALIAN, "FERRAMENTA ROSSI S.R.L", dt.date(2024, 4, 5), "8.60"),
        (MALAY, "KEDAI PERKAKASAN JAYA ENTERPRISE", dt.date(2019, 5, 2), "23.40"),
    ],
)
def test_tills_in_spanish_italian_and_malay(lines, seller, date, total):
    receipt = read(lines)
    assert (receipt.supplier.name, receipt.issue_date, receipt.amount_total) == (seller, date, Decimal(total))
    # the till's own words tell a receipt even from a photo not measured as a till roll
    assert any(clue.startswith("till words") for clue in receipt_evidence([as_text(lines)]).clues)


@pytest.mark.parametrize(
    ("cash", "change"),
    [
        ("Efectivo", "Cambio"),
        ("Entregado", "Vuelto"),
        ("Contanti", "Resto"),
        ("Tunai", "Baki"),
        ("Bargeld", "Zurück"),
        ("Espèces", "Rendu"),
        ("Contant", "Wisselgeld"),
    ],
)
def test_cash_minus_change_settles_between_two_totals_in_the_tills_language(cash, change):
    lines = ["ACME TOOLS", "RECEIPT", "01/02/2024 12:00", ("TOTAL", "12.00"), ("TOTAL", "15.00")]
    lines += [(cash, "20.00"), (change, "8.00")]
    assert read(lines).amount_total == Decimal("12.00")


@pytest.mark.parametrize(
    ("first_line", "name"),
    [
        ("HAPPY SNACKS oh lam", "HAPPY SNACKS"),  # a smudge after the name, read as lower-case words
        ("KEDAI MAJU sdn bhd", "KEDAI MAJU Sdn Bhd"),  # a legal form in lower case is still the name's
        ("Happy Snacks and more", "Happy Snacks and more"),  # a name in mixed case is left as printed
        ("HAPPY SNACKS 2 go", "HAPPY SNACKS 2 go"),  # only letters are smudge-like
    ],
)
def test_lower_case_noise_after_a_name_in_capitals_is_not_the_name(first_line, name):
    assert read([first_line, "(123456-K)", "NO 12, JALAN INDAH 3"] + MALAYSIAN[5:]).supplier.name == name


@pytest.mark.parametrize("degrees", [90, 270])
def test_receipt_photographed_sideways_on_a_table_is_turned_upright_and_read(degrees):
    # a phone that dropped its EXIF turn: tesseract finds the lines running down the page and reads some of
    # them, enough to look legible; the words standing taller than wide tell the page is sideways
    from invoice_import.engine.ocr import reads_sideways

    photo, _corners = photographed_on_a_table(receipt_image(MALAYSIAN))
    photo = photo.rotate(degrees, expand=True, fillcolor=70).filter(ImageFilter.GaussianBlur(0.8))
    result = extract_bytes(encoded(photo.convert("RGB"), "JPEG", quality=80), "IMG_0002.jpg")
    _assert_read(result, "KEDAI BESI MAJU", dt.date(2018, 12, 25), "43.10", "MYR")
    upright = OcrText("", [OcrWord("TOTAL", 90, 0, 0, 60, 14), OcrWord("43.10", 90, 70, 0, 50, 14)] * 2)
    sideways = OcrText("", [OcrWord("TOTAL", 90, 0, 0, 14, 60), OcrWord("43.10", 90, 0, 70, 14, 50)] * 2)
    assert not reads_sideways(upright) and reads_sideways(sideways)


def test_a_line_along_the_edge_of_a_photographed_sheet_does_not_widen_the_receipt_to_the_sheet():
    # a receipt stapled on an A4 sheet, photographed: the flattened sheet keeps a broken dark line of the table
    # along its left edge, far from the print; the receipt is still measured as a till roll and cut to its ink
    from invoice_import.engine.images import measure_layout

    receipt = receipt_image(MALAYSIAN).convert("L")
    sheet = Image.new("L", (1654, 2339), 255)
    sheet.paste(receipt, (600, 300))
    for top in range(0, sheet.height, 40):
        sheet.paste(30, (1, top, 4, top + 25))
    layout = measure_layout(sheet)
    assert layout.till_roll
    left, _top, right, _bottom = layout.ink_box
    assert 600 <= left and right <= 600 + receipt.width
    assert measure_layout(receipt).till_roll


# ----------------------------------------------------------------------------- misreadings found on public receipts
# (SROIE's training receipts outside the corpus; the lines are as tesseract read such tills, names made up)


def _dot_matrix_receipt(date_line: str) -> list:
    return [
        "KEDAI KAYU MAKMUR",
        "(001234567-T)",
        "NO 5, JALAN BESAR",
        "81200 JOHOR BAHRU",
        "TAX INVOICE",
        f"Doc No CS00012626 {date_line}",
        "Cashier USER Time: 10:50:00",
        ("PLYWOOD 4X8", "40.00"),
        ("Total Inclusive GST:", "42.40"),
        ("CASH", "50.00"),
        ("CHANGE", "7.60"),
    ]


@pytest.mark.parametrize(
    ("date_line", "date"),
    [
        ("Date 1001/2018", dt.date(2018, 1, 10)),  # the first slash lost
        ("Cate: 177042078", dt.date(2018, 4, 17)),  # a slash read as 7, the other lost, 2018 as 2078
        ("Date: 0370572018", dt.date(2018, 5, 3)),  # both slashes read as 7
        ("Date” 300472078", dt.date(2018, 4, 30)),
        ("SC aate” 20/0472078", dt.date(2018, 4, 20)),  # the label's D read as a, a slash as 7, 2018 as 2078
        ("Doc No CS00072658 Dates 1170572018", dt.date(2018, 5, 11)),  # "Date:" read as "Dates", slashes as 7
    ],
)
def test_a_labelled_date_whose_slashes_ocr_lost_or_read_as_digits_is_read(date_line, date):
    receipt = read(_dot_matrix_receipt(date_line))
    assert receipt.issue_date == date
    assert receipt.confidence["issue_date"] < 0.5  # a repair: a person confirms it


@pytest.mark.parametrize("date_line", ["Date: 3204572018", "Date 9999999999", "Ref 1001/2018"])
def test_digits_that_make_no_date_or_have_no_date_label_are_not_a_date(date_line):
    assert read(_dot_matrix_receipt(date_line)).issue_date is None


def test_a_two_digit_year_stamp_ocr_put_spaces_into_is_read_beside_its_time():
    lines = [*MALAYSIAN[:6], *MALAYSIAN[8:], "08- 03-17 13:42 SH01 B028 12 000017473"]
    assert read(lines).issue_date == dt.date(2017, 3, 8)
    assert read([*MALAYSIAN[:6], *MALAYSIAN[8:], "Ref 08- 03-17 below"]).issue_date is None


def test_a_till_roll_whose_total_label_ocr_mangled_is_still_a_receipt_through_its_payment_lines():
    lines = [
        "KFA TRADING",
        "( ROC : SA0416111-K )",
        "125A JALAN MALINJA",
        "TAX INVOICE",
        "Bill No CS0032277",
        "Date 27/08/2018 8.07PM",
        ("STAR MAT 74CM", "11.60"),
        ("“Qy TTotatRM", "11.60"),
        ("CASH", "12.00"),
        ("C", "0.40"),
        "THANK YOU",
    ]
    till_roll = OcrText(as_text(lines), till_roll=True)
    assert looks_like_receipt([till_roll])
    assert "payment lines" in receipt_evidence([till_roll]).clues
    assert not looks_like_receipt([OcrText(as_text(lines), till_roll=False)])  # a page of another shape needs more


def test_a_name_of_initials_ocr_misread_and_its_branch_code_are_read_as_the_name():
    lines = [
        "MR. D.1.¥. (M) SDN BHD",
        "Co-REG:860671-D",
        "LOT 1851-A & 1851-B, JALAN KPB 4,",
        "KAWASAN PERINDUSTRIAN BALAKONG,",
        "43300 SERI KEMBANGAN, SELANGOR",
        *MALAYSIAN[5:],
    ]
    assert read(lines).supplier.name == "MR. D.I.Y. (M) SDN BHD"


@pytest.mark.parametrize("form_line", ["CO. (M) SON BHD", "co. CM) SDN BHD"])  # its bracket read as a C
def test_a_legal_form_line_with_a_branch_code_ends_the_name_above_it(form_line):
    lines = ["POPULAR BOOK", form_line, "(Co. No. 113825-W)", "No 8, Jalan 7/118B, Desa Tun Kazak"]
    assert read(lines + MALAYSIAN[5:]).supplier.name.upper() == "POPULAR BOOK CO. (M) SDN BHD"


def test_a_name_broken_inside_its_branch_and_before_its_legal_form_is_read_whole():
    lines = ["AIK HUAT HARDWARE", "ENTERPRISE (SETIA", "ALAM) SDN BHD", "NO. 17-G, JALAN SETIA", "TEL: 012-3456789"]
    name = read(lines + MALAYSIAN[5:]).supplier.name
    assert name == "AIK HUAT HARDWARE ENTERPRISE (SETIA ALAM) SDN BHD"


def test_a_title_whose_first_word_ocr_misread_is_not_the_name():
    lines = ["BESI MAJU", "TAK INVOICE (COSWAY)", "NO. 17-G, JALAN SETIA INDAH", "TEL: 012-3456789"]
    assert read(lines + MALAYSIAN[6:]).supplier.name == "BESI MAJU"


def _till_bottom(*amount_lines) -> list:
    return [*MALAYSIAN[:9], ("PVC PIPE 20MM   2", "18.20"), *amount_lines, "GOODS SOLD ARE NOT RETURNABLE"]


def test_a_rounding_line_that_prints_the_rounded_total_gives_the_total():
    lines = _till_bottom(
        ("Total Sales (Inclusive GST) RM", "22.91"), ("Rounding RM", "22.90"), ("CASH RM", "50.00"), ("CHANGE", "27.10")
    )
    assert read(lines).amount_total == Decimal("22.90")


@pytest.mark.parametrize(
    ("total", "adjustment", "expected"),
    [("31.02", "-0.02", "31.00"), ("31.03", "0.02", "31.05"), ("31.00", "-0.02", "31.00")],
)
def test_a_rounding_adjustment_under_the_only_total_read_is_applied_when_it_rounds(total, adjustment, expected):
    lines = _till_bottom(("Total (Inclusive of GST):", total), ("Rounding Adj:", adjustment), "Server: Cashier")
    assert read(lines).amount_total == Decimal(expected)


@pytest.mark.parametrize(
    ("total", "rounding", "expected"),
    [("31.03", "RH 02", "31.05"), ("31.02", "RM O2", "31.00"), ("31.05", "RH 02", "31.05"), ("31.03", "", "31.03")],
)
def test_a_rounding_line_whose_amount_ocr_lost_rounds_the_total_to_the_nearest_five_cents(total, rounding, expected):
    lines = _till_bottom(("Total Sales (Inclusive GST) RM", total), f"Rounding Adjustment {rounding}".strip(), "Thanks")
    assert read(lines).amount_total == Decimal(expected)


def test_prose_about_adjustments_is_not_a_rounding_line():
    lines = _till_bottom(("Total Payable:", "39.78"), "adjustments shown 1n this tax invoice", "Thanks")
    assert read(lines).amount_total == Decimal("39.78")


@pytest.mark.parametrize(("cash", "change", "expected"), [("20.00", "0.00", "20.00"), ("50.00", "30.00", "20.00")])
def test_cash_minus_change_is_the_rounded_total_when_a_rounding_line_is_printed(cash, change, expected):
    """The total read ("19.95" for 19.99) and the rounding ("0,0!") are misread; the payment lines settle it."""
    lines = _till_bottom(("TOTAL", "19.95"), "Rounding Adj 0,0!", ("CASH", cash), ("CHANGE", change))
    assert read(lines).amount_total == Decimal(expected)
    # without a rounding line, cash minus change that far off the total is not the total
    lines = _till_bottom(("TOTAL", "19.95"), ("CASH", cash), ("CHANGE", change))
    assert read(lines).amount_total == Decimal("19.95")


def test_a_total_ocr_gave_an_extra_digit_is_cash_minus_change():
    lines = _till_bottom(
        ("TOTAL INCL. GST@6% RM", "464.70"), ("CASH RM", "100.00"), ("CHANGE RM", "35.30"), "GST @6% included in total"
    )
    assert read(lines).amount_total == Decimal("64.70")


def test_a_total_a_tax_summary_adds_up_to_is_kept_when_cash_minus_change_disagrees():
    """OCR misread the cash ("2.00" for 72.00): the summary's base and tax confirm the total read."""
    lines = _till_bottom(
        ("TOTAL INCL. GST@6% RM", "71.90"), ("CASH RM", "2.00"), ("CHANGE RM", "0.10"), ("GST 6% 67.83", "4.07")
    )
    assert read(lines).amount_total == Decimal("71.90")


def test_an_amount_including_gst_that_ocr_misread_is_the_total_not_the_amount_accepted():
    lines = [*MALAYSIAN[:6], ("Pay parking ticket", "5.00 RM"), ("Amount Incl. &ST", "5.00 RM")]
    assert read([*lines, ("Accepted total", "10.00 RM")]).amount_total == Decimal("5.00")


@pytest.mark.parametrize(
    ("first_line", "name"),
    [
        ("GARDENIA BAKERIES (KL) SDN BILD", "GARDENIA BAKERIES (KL) SDN BHD"),  # BHD's H read as IL
        ("AEON CO. (M) BHO (126926-H)", "AEON CO. (M) BHD"),  # Bhd alone, its D read as O
        ("77 QUICK MART 5/B <$19S37-X)", "77 QUICK MART S/B"),  # S/B's S read as 5, the bracket as <
        ("77 QUICK MART S/8 {519S37-X)", "77 QUICK MART S/B"),  # its B read as 8, a 5 of the number as S
        ("KING’S CONFECTIONERY $/B 273500-U (KJ1)", "KING’S CONFECTIONERY S/B"),
        ("HILLTOP DISTRIBUTION SDti BHD", "HILLTOP DISTRIBUTION SDN BHD"),  # SDN's N read as ti
        ("HILLTOP BAKERIES (KL) SDN BELD", "HILLTOP BAKERIES (KL) SDN BHD"),  # BHD's H read as EL
        ("HILLTOP TRADING SON, BHD", "HILLTOP TRADING SDN BHD"),  # a comma after SDN
        ("88 CORNER MART S/S", "88 CORNER MART S/B"),  # S/B's B read as S, ending the line
        ("88 CORNER MART S/D", "88 CORNER MART S/B"),  # or as D
        ("88 CORNER MART S/S (519537: X)", "88 CORNER MART S/B"),  # before the company number
    ],
)
def test_legal_forms_and_company_numbers_as_ocr_misreads_them_end_the_name(first_line, name):
    head = [first_line, "NO. 20, JALAN SS4/3, KELANA JAYA,", "1237-THN INDAH PERDANA"]
    assert read(head + MALAYSIAN[5:]).supplier.name == name


def test_a_country_alone_on_its_line_is_the_end_of_the_address_not_the_seller():
    head = ["GL LEATHER & TAILORING", "19, JALAN KANCIL,", "55100 KUALA LUMPUR", "MALAYSIA", "Company Reg No. :75495-W"]
    assert read(head + MALAYSIAN[5:]).supplier.name == "GL LEATHER & TAILORING"


def test_a_company_number_label_ocr_read_apart_from_its_number_is_not_the_name():
    head = [
        "Guardian Health And Beauty Sdn Bhd",
        "Lot B-005, Basement Level 1",
        "Tel: 03-7662 5789",
        "Company Reo #1101083-7",
    ]
    assert read(head + MALAYSIAN[5:]).supplier.name == "Guardian Health And Beauty Sdn Bhd"


def test_a_german_number_label_read_with_its_number_is_not_the_name():
    """A logo OCR could not read leaves the street, the phone and the VAT label: "USt-IdNr" is a label,
    not the seller (read with its number, the number is cut off as a company number)."""
    head = ["Hauptstraße 21", "04207 Leipzig", "Tel. 0341 42 24 134", "USt-IdNr . DE245751127"]
    assert read(head + GERMAN[3:]).supplier.name is None


def test_a_due_line_is_the_total_and_a_pay_line_what_was_handed_over():
    lines = _till_bottom(
        ("Qty 8", "19,20"), ("Rounding Adj", "0.00"), ("Due", "19.20"), ("Pay", "20,00"), ("Change", "0.80")
    )
    assert read(lines).amount_total == Decimal("19.20")


def test_an_unreadable_total_without_a_tax_line_is_the_subtotal_plus_a_rounding_that_rounds():
    lines = [*MALAYSIAN[:5], ("CALPIS ORIGINAL 1", "2.49"), ("COKE 1", "2.20"), ("Sub Total : RM", "4.69")]
    assert read([*lines, ("Rounding Adj : RM", "0.01"), "Total Sales Inclusi 3 RM 4.7"]).amount_total == Decimal("4.70")
    assert read([*lines, ("Rounding Adj : RM", "0.02"), "Total Sales Inclusi 3 RM 4.7"]).amount_total is None


def test_a_german_supermarket_receipt_scanned_with_its_sheet_is_a_receipt_by_its_words():
    """Scanned on a flatbed with the sheet around it: the page is no till roll, the till's words tell."""
    lines = [
        "www.markt-beispiel.de",
        ("BANANEN", "0,29 B"),
        ("LEERGUT EW MINUS", "-1,20 B"),
        ("PFAND", "0,25 B"),
        "Posten: 18",
        ("SUMME EUR", "20,08"),
        "Datum Uhrzeit Filiale Pos Bed Bon",
        "06.05.20 09:49 0000545 002 018 5173",
        "Vielen Dank für Ihren Einkauf!",
    ]
    page = OcrText(as_text(lines), till_roll=False)
    assert looks_like_receipt([page])
    receipt = read_receipt([page], base=extract_from_text([page]))
    assert (receipt.issue_date, receipt.amount_total) == (dt.date(2020, 5, 6), Decimal("20.08"))


@pytest.mark.parametrize(
    ("stamp", "date"),
    [
        ("25. 03-18 18:47 SH01 2J86 T1 R000112415", dt.date(2018, 3, 25)),  # a dash read as a point
        ("DD: 1109/2017 11:48", dt.date(2017, 9, 11)),  # a slash lost, the label too
        ("CASH 418-82 17/83/2817 21:35", dt.date(2017, 3, 17)),  # zeros of the month and the year read as 8
        ("09/03/2518 18:54 1008 061 0010555", dt.date(2018, 3, 9)),  # the year's hundreds: a zero, whatever OCR read
    ],
)
def test_a_till_stamp_ocr_garbled_is_read_when_its_time_follows(stamp, date):
    assert read([*MALAYSIAN[:6], *MALAYSIAN[8:], stamp]).issue_date == date


def test_amounts_before_a_figure_with_a_point_are_no_month_first_date():
    """ "6/ 18.77 1.13" in a tax summary is no 18 June: the 3 May stamp stays day first."""
    lines = [*MALAYSIAN[:6], "09:41PM 568008 03-05-18", *MALAYSIAN[8:], ("s = 6/ 18.77", "1.13")]
    assert read(lines).issue_date == dt.date(2018, 5, 3)


def test_soft_print_of_a_phone_photo_is_enlarged_where_crisp_print_of_the_same_size_is_left_alone():
    # a till roll drawn at 240 dpi: 9-point print measures about 20 pixels, inside the range left at its size;
    # blurred as a phone's lens blurs it, its strokes' edges spread over several pixels and it is enlarged
    from invoice_import.engine.images import _TEXT_HEIGHT_TARGET, edge_sharpness, measure_layout, prepare_page

    crisp = receipt_image(MALAYSIAN, dpi=240).convert("L")
    soft = crisp.filter(ImageFilter.GaussianBlur(1.6))
    height = measure_layout(crisp).text_height
    assert 18 <= height < _TEXT_HEIGHT_TARGET - 3
    assert edge_sharpness(crisp) > 0.7 and edge_sharpness(soft) < 0.4
    assert edge_sharpness(Image.new("L", (50, 50), 255)) == 0.0  # a blank page has no edges
    crisp_page, soft_page = prepare_page(crisp, None), prepare_page(soft, None)
    assert crisp_page.till_roll and soft_page.till_roll
    assert soft_page.image.height > 1.2 * crisp_page.image.height  # enlarged towards the target height
    assert abs(measure_layout(soft_page.image).text_height - _TEXT_HEIGHT_TARGET) <= 4
    data = encoded(soft.convert("RGB"), "JPEG", quality=80)
    _assert_read(extract_bytes(data, "photo.jpg"), "KEDAI BESI MAJU", dt.date(2018, 12, 25), "43.10", "MYR")


def test_an_evenly_lit_gray_photo_gets_white_paper_and_its_receipt_is_cut_to_its_ink():
    # a receipt on an A4 sheet photographed in dim light: the paper evenly gray (about 200) with sensor noise;
    # left gray, the white corners of the deskew made the paper's noise count as ink across the whole sheet
    import numpy as np

    from invoice_import.engine.images import even_lighting, measure_layout, straighten

    receipt = receipt_image(MALAYSIAN).convert("L")
    sheet = Image.new("L", (1654, 2339), 255)
    sheet.paste(receipt, (600, 300))
    sheet = sheet.rotate(2.0, resample=Image.Resampling.BICUBIC, fillcolor=255)  # the receipt lies a bit askew
    noise = np.random.default_rng(7).normal(0.0, 12.0, (sheet.height, sheet.width))
    gray = Image.fromarray((np.asarray(sheet, dtype=np.float64) * 0.8 + noise).clip(0, 255).astype(np.uint8), "L")
    lit = even_lighting(gray)
    assert np.median(np.asarray(lit)) > 235  # the paper made white
    layout = measure_layout(straighten(lit))
    assert layout.till_roll
    assert layout.ink_box[2] - layout.ink_box[0] < 1.3 * receipt.width
    white = receipt_image(MALAYSIAN).convert("L")
    assert even_lighting(white) is white  # an evenly lit scan on white paper is left as it is


# ----------------------------------------------------------------------------- totals as OCR misreads them

RESTAURANT = [
    "B & SONS RESTAURANT",
    "(001610235-P)",
    "NO 12, JALAN SS4C/5, PETALING JAYA",
    "TAX INVOICE",
    ("BILL NO: 00118887", "DATE: 10/02/2017"),
    ("1 FISHBALL NOODLE", "7.00"),
    ("SUB TOTAL:", "7.00"),
    ("GST 6%", "0.42"),
    ("ROUNDING ADJ", "-0.02"),
]


@pytest.mark.parametrize(
    ("printed", "label"),
    [
        ("total sales inclusive gst :", "Total Sales Inciueive GST :"),
        ("total:", "T0TA1:"),
        ("amount due", "Amcunt due"),
    ],
)
def test_total_label_words_as_ocr_misreads_them_are_put_right(printed, label):
    assert repaired_label(label.lower()) == printed


@pytest.mark.parametrize("label", ["service charge", "hotel", "subtotal", "sub total", "tel 1010", "tot"])
def test_words_that_are_no_misread_total_label_are_left_alone(label):
    assert repaired_label(label) == label


def test_a_misread_inclusive_total_is_the_total_though_the_cash_read_is_less():
    lines = MALAYSIAN[:10] + [("Total Sales Inciueive GST :", "18.00"), ("Cacn Received :", "2.00")]
    assert read(lines).amount_total == Decimal("18.00")


def test_a_misread_plain_total_is_read_below_a_printed_one():
    lines = MALAYSIAN[:10] + [("T0TA1", "20.00"), ("CASH", "20.00")]
    assert read(lines).amount_total == Decimal("20.00")
    lines = MALAYSIAN[:10] + [("T0TA1", "20.00"), ("TOTAL", "21.00")]
    assert read(lines).amount_total == Decimal("21.00")


def test_the_tax_printed_with_its_rate_puts_right_a_total_misread_by_one_digit():
    receipt = read(RESTAURANT + [("NET TOTAL", "1.40"), "THANK YOU"])
    assert receipt.amount_total == Decimal("7.40")
    assert carries_tax(Decimal("7.40"), Decimal(6), Decimal("0.42"))
    assert not carries_tax(Decimal("1.40"), Decimal(6), Decimal("0.42"))


def test_a_total_that_carries_the_tax_printed_is_kept():
    assert read(RESTAURANT + [("NET TOTAL", "7.40"), "THANK YOU"]).amount_total == Decimal("7.40")
    assert read(AMERICAN).amount_total == Decimal("28.14")  # 6.25% on 26.48 is 1.66


def test_no_total_is_put_right_by_a_tax_when_two_rates_are_printed():
    lines = RESTAURANT + [("SST 10%", "0.70"), ("NET TOTAL", "1.40"), "THANK YOU"]
    assert printed_tax(as_text(lines).splitlines()) is None
    assert read(lines).amount_total == Decimal("1.40")


def test_the_tax_prefers_the_total_that_carries_it():
    lines = RESTAURANT + [("TOTAL", "7.40"), ("TOTAL", "9.40"), "THANK YOU"]
    assert read(lines).amount_total == Decimal("7.40")


def test_a_total_whose_first_digit_ocr_lost_is_cash_minus_change_printed_as_a_credit():
    lines = MALAYSIAN[:10] + [("Total RM Incl. of GST", "$0. 10"), ("Cash", "-40.10"), ("CHANGE", "10.00")]
    assert read(lines).amount_total == Decimal("30.10")
    lines = MALAYSIAN[:10] + [("Total RM Incl. of GST", "0.10"), ("Cash", "40.10"), ("CHANGE", "40.00")]
    assert read(lines).amount_total == Decimal("0.10")  # it settles: nothing to put right


def test_a_total_the_rounding_confirms_is_kept_when_the_cash_has_a_digit_too_many():
    lines = MALAYSIAN[:10] + [("Total Sales (Inclusive GST)", "RM 72.74"), ("Rounding Adjustment", "RM 0.01")]
    lines += [("Rounding", "RM 72.75"), ("CASH", "RM 400.00"), ("CHANGE", "RM 27.25")]
    assert read(lines).amount_total == Decimal("72.75")


# A delivery note that totals each kind of supply and prints the amount payable last, their sum.
SUPPLIES = [
    "KILANG ROTI MURNI SDN BHD (123456 X)",
    "Lot 3, Jalan Pelabur 23/1",
    "TAX INVOICE / ADJUSTMENT NOTE",
    ("Cash Inv No.: 7830F715", "Date: 30/08/2017"),
    ("WHOLEMEAL 2.78 5", "13.90"),
    ("Total 0% supplies:", "39.40"),
    ("CR-CHOCOLATE 0.72 18", "12.96"),
    ("Total 6% supplies (excl. GST):", "12.96"),
    ("GST:", "0.78"),
    ("Total 6% supplies (Inc. GST):", "13.74"),
    ("Total 0% supplies:", "39.40"),
]


@pytest.mark.parametrize("payable", ["$3.14", "3.14"])
def test_a_payable_total_whose_leading_digit_ocr_lost_is_the_sum_of_the_part_totals_above_it(payable):
    assert read([*SUPPLIES, ("Total Payable:", payable), "E.&.O.E."]).amount_total == Decimal("53.14")


def test_the_payable_total_the_part_totals_add_up_to_beats_a_larger_part_total_under_a_misread_label():
    lines = [*SUPPLIES[:9], ("Total 6% supplies (Inc. GST):", "15.52"), ("Total 0% supplies:", "-9.62")]
    assert read([*lines, ("Total Paydt.e:", "5.90"), "E.&.O.E."]).amount_total == Decimal("5.90")


def test_a_payable_total_no_sum_of_part_totals_ends_with_is_left_as_read():
    assert read([*SUPPLIES, ("Total Payable:", "7.21"), "E.&.O.E."]).amount_total == Decimal("7.21")


def test_a_total_printed_with_the_exact_cash_handed_over_beats_a_payable_one_above_the_cash():
    lines = _till_bottom(("Total (Inclusive of GST):", "36.00"), ("TOTAL:", "35.00"), ("CASH :", "35.00"))
    assert read(lines).amount_total == Decimal("35.00")
    lines = _till_bottom(("Total (Inclusive of GST):", "36.00"), ("TOTAL:", "35.00"), ("CASH :", "40.00"))
    assert read(lines).amount_total == Decimal("36.00")  # nothing agrees with the cash: the payable label wins


def test_a_year_no_lookalike_makes_a_receipts_year_is_not_repaired():
    assert read([*MALAYSIAN[:6], *MALAYSIAN[8:], "17/83/2999 21:35"]).issue_date is None


def test_a_time_printed_with_points_after_its_label_is_no_date_but_a_labelled_date_is():
    lines = [*MALAYSIAN[:6], ("Doc No CS00065374", "Date 06/02/2018"), "Cashier USER Time. 11.14.00", *MALAYSIAN[8:]]
    assert read(lines).issue_date == dt.date(2018, 2, 6)
    lines = [*MALAYSIAN[:6], "Cashier USER Time. 11.14.00", *MALAYSIAN[8:]]
    assert read(lines).issue_date is None
    assert read([*MALAYSIAN[:6], "Create Time: 27/04/2018", *MALAYSIAN[8:]]).issue_date == dt.date(2018, 4, 27)


@pytest.mark.parametrize(
    "top",
    [
        ["FRISCHE EINKAUFEN / GENUSS ERLEBEN", "WUNSCHLOS GLÜCKLICH?"],  # a slogan in capitals over the name
        ["Inn Ms la ag Z ele"],  # a logo OCR read as letters, "ag" among them no legal form
    ],
)
def test_a_shop_whose_name_is_a_logo_is_named_by_the_line_over_its_address(top):
    lines = [*top, "www.beispiel-markt.de", "Frischmarkt Lahr", "Detmolder Str. 4", "33102 Paderborn", *GERMAN[3:]]
    assert read(lines).supplier.name == "Frischmarkt Lahr"


def test_a_registered_name_is_kept_over_the_line_over_the_address():
    lines = ["Baumarkt Krämer GmbH", "Filiale Lahr", "Industriestraße 7", "50667 Köln", *GERMAN[3:]]
    assert read(lines).supplier.name == "Baumarkt Krämer GmbH"


def test_a_street_ocr_misread_and_an_item_with_its_price_are_no_seller():
    lines = ["Warburger StraBe 130", "33100 Paderborn", "EUR", ("Emmentaler Stück 2,59x 2", "5,18 A"), *GERMAN[8:]]
    assert read(lines).supplier.name is None


def test_a_tax_table_after_the_payment_lines_is_no_seller():
    # the shop's name a logo OCR could not read: nothing above the items names it
    lines = ["Industriestraße 7", "50667 Köln", "EUR", ("Schrauben 4x40", "3,80 A"), ("zu zahlen", "3,80")]
    lines += [("Bar", "5,00"), ("Rückgeld", "-1,20"), "MWST% MWST + Netto = Brutto", "A 19% 0,61 3,19 3,80"]
    assert read(lines + GERMAN[4:5]).supplier.name is None


def test_an_address_line_ending_in_a_comma_over_the_street_is_not_the_name():
    lines = ["YHM Aeon Tebrau City", "S117, Second Floor,", "Aeon Tebrau City,", "1, Jalan Desa Tebrau,", "81100 Johor"]
    assert read(lines + MALAYSIAN[5:]).supplier.name == "YHM Aeon Tebrau City"


def test_a_total_a_subtotal_agrees_with_is_kept_when_the_cash_ocr_misread_has_a_digit_too_many():
    """Cash "RMS5O.00" for RM50.00: cash minus change (540.00) ends in the total's digits, but the subtotal
    printed as the same amount confirms the total read, so OCR misread the cash."""
    lines = MALAYSIAN[:10] + [("Sub Total", "RM40.00"), ("Rounding Adj.", "RM0.00"), ("Total", "RM40 . 00")]
    lines += [("Received Cash", "RMS5O.00"), ("Change", "RM10.00")]
    assert read(lines).amount_total == Decimal("40.00")


def test_a_point_set_apart_by_spaces_after_a_currency_sign_is_the_decimal_point():
    assert repair_amount_glyphs("Total RM40 . 00") == "Total RM40.00"
    assert repair_amount_glyphs("Qty 40 . 00") == "Qty 40 . 00"  # no currency sign: no amount to repair


@pytest.mark.parametrize(("printed", "date"), [("31/03/2078", dt.date(2018, 3, 31)), ("17/11/2877", None)])
def test_a_year_from_the_future_is_put_right_when_one_lookalike_digit_makes_it_a_receipts_year(printed, date):
    lines = [*MALAYSIAN[:6], ("Doc No CS0007357", f"Date: {printed}"), *MALAYSIAN[7:]]
    page = OcrText(as_text(lines), till_roll=True)
    assert read_receipt([page]).issue_date == date


@pytest.mark.parametrize(
    ("first_line", "name"),
    [
        ("77 QUICK HART S/B", "77 QUICK MART S/B"),  # M read as H on dot-matrix print
        ("KEDAI BESI WART", "KEDAI BESI MART"),
        ("KL DISTRIBUTOR & MARFETING SDN BHD", "KL DISTRIBUTOR & MARKETING SDN BHD"),
        ("LIM HARDWAKE TRADING", "LIM HARDWARE TRADING"),
        ("SUNRISE CAKE MOUSE SDN BHD", "SUNRISE CAKE HOUSE SDN BHD"),  # H read as M
        ("SMART SHOP SDN BHD", "SMART SHOP SDN BHD"),  # a name's own word: no capital OCR misreads for another
        ("ARTRANGE STATIONERS SDN BHD", "ARTRANGE STATIONERS SDN BHD"),  # another ending, not a misreading
        ("Quick Hart Sdn Bhd", "Quick Hart Sdn Bhd"),  # not in capitals: left as printed
    ],
)
def test_kind_of_business_words_ocr_misread_in_a_name_in_capitals_are_put_right(first_line, name):
    assert read([first_line, *MALAYSIAN[1:]]).supplier.name == name


def test_two_labels_with_their_amounts_side_by_side_are_read_apart():
    # a till printing two columns: the amount at the line's end is the second label's
    lines = MALAYSIAN[:10] + [("Total with GST @ 6%", "6.83"), ("ROUNDING", "0.92")]  # 0.02 misread
    lines += ["TOTAL SAVING: 0.00     TOTAL 6.85", "Cash 20.00   CHANGE 13.15"]
    assert read(lines).amount_total == Decimal("6.85")
    # one label, an item's two price columns: nothing is cut
    lines = MALAYSIAN[:10] + ["Hinge 2 @ 6.50 13.00", ("TOTAL", "13.00"), ("CASH", "20.00"), ("CHANGE", "7.00")]
    assert read(lines).amount_total == Decimal("13.00")


def test_a_rounded_total_misread_by_one_digit_is_the_subtotal_plus_tax_and_rounding():
    lines = MALAYSIAN[:10] + [("Sub Total (RM)", "106.10"), ("Total GST (RM)", "6.37"), ("Rounding (RM)", "-0.02")]
    lines += [("Total (RM)", "112.46"), ("CASH", "112.48"), ("Change", "6.00")]  # cash and change misread too
    assert read(lines).amount_total == Decimal("112.45")
    # a total that is a multiple of 5 cents after the rounding line is kept, whatever the sum says
    lines = MALAYSIAN[:10] + [("Sub Total (RM)", "106.10"), ("Total GST (RM)", "6.37"), ("Rounding (RM)", "-0.02")]
    lines += [("Total (RM)", "112.40")]
    assert read(lines).amount_total == Decimal("112.40")


def test_a_total_the_tax_summary_and_another_line_agree_on_overrules_a_misread_one():
    """The summary row checks itself (23.58 x 6% = 1.42) and its sum, 25.00, is printed again on the item line:
    "Net Total 25.29" is a misreading, whatever its label."""
    lines = [*HEADER, ("2 x 12.50", "25.00"), ("Net Total", "25.29"), ("c", "50.00")]
    lines += ["Tax Summary   Amount   Tax", "SR @ 6%   23.58   1.42"]
    receipt = read(lines)
    assert receipt.amount_total == Decimal("25.00")
    assert receipt.confidence["amount_total"] >= 0.75
    # the sum printed nowhere else, or a row its rate does not check (5%): the total read stands
    assert read([line for line in lines if line != ("2 x 12.50", "25.00")]).amount_total == Decimal("25.29")
    assert read([*lines[:-1], "SR @ 5%   23.58   1.42"]).amount_total == Decimal("25.29")


def test_a_total_within_a_rounding_of_the_tax_summary_sum_is_kept():
    lines = [*HEADER, ("1 x 10.44", "10.44"), ("Total Inclusive GST", "10.45"), "SR 6%   9.85   0.59   10.44"]
    assert read(lines).amount_total == Decimal("10.45")


def test_the_amount_before_tax_plus_the_tax_printed_as_what_was_paid_beats_a_loyalty_total():
    lines = [*HEADER, ("Amt Paid excl. GST", "RM105.57"), ("GST AMT", "RM6.33"), ("PAID BY CARD", "RM111.90")]
    lines += [("Total points", "10.56"), ("Balance", "0.00")]
    assert read(lines).amount_total == Decimal("111.90")
    # nothing prints the sum: the payment alone does not overrule the total read
    paid = lines.index(("PAID BY CARD", "RM111.90"))
    lines[paid] = ("PAID BY CARD", "RM110.90")
    assert read(lines).amount_total == Decimal("10.56")


def test_an_unreadable_total_is_the_tax_summary_sum():
    lines = [*HEADER, ("Total Sales Inclusive GST @6%", "2840"), "GST Summary  Amount(RM)  Tax(RM)"]
    lines += ["SR @ 6%   26.79   1.61"]
    receipt = read(lines)
    assert receipt.amount_total == Decimal("28.40")
    assert receipt.confidence["amount_total"] < 0.5
    assert any("tax summary" in warning for warning in receipt.warnings)


def test_a_subtotal_that_carries_the_tax_printed_with_its_rate_is_the_total():
    lines = [*HEADER, ("SALTED RICE", "6.50"), ("SUBTOTAL", "28.70"), ("CHANGE", "71.30"), ("INC 6% GST", "1.62")]
    assert read(lines).amount_total == Decimal("28.70")  # 28.70 x 6 / 106 = 1.62: the tax is in the subtotal
    lines = [*lines[:-3], ("SUBTOTAL", "28.70"), ("GST 6%", "1.72"), ("CHANGE", "71.30")]
    assert read(lines).amount_total == Decimal("30.42")  # 28.70 x 6% = 1.72: added on top


@pytest.mark.parametrize(("date_line", "date"), [("Date: 28/03/20i", None), ("Date: 28/03/20", dt.date(2020, 3, 28))])
def test_a_two_digit_year_glued_to_a_letter_for_a_digit_is_a_year_ocr_cut_short(date_line, date):
    lines = [*MALAYSIAN[:6], ("Doc No: CS00012345", date_line), *MALAYSIAN[7:]]
    assert read(lines).issue_date == date


@pytest.mark.parametrize(
    ("stamp", "date"),
    [
        ("27032018 CS-20243", dt.date(2018, 3, 27)),
        ("27132018 CS-20243", None),  # no month 13
        ("27032018 CS-20243 28032018", None),  # two dates: neither is sure
        ("Tel 03-27032018", None),  # part of a phone number
    ],
)
def test_eight_digits_standing_alone_are_the_date_when_nothing_else_on_the_receipt_is(stamp, date):
    lines = [*MALAYSIAN[:6], stamp, *MALAYSIAN[7:]]
    receipt = read(lines)
    assert receipt.issue_date == date
    if date:
        assert receipt.confidence["issue_date"] <= 0.3


def test_a_tax_summary_row_with_a_dash_between_its_columns_still_adds_up():
    lines = [*HEADER, ("1 CAFE LATTE", "11.32"), ("6% GST", "0.68"), ("1 TOTAL", "12.90"), ("CASH", "12.00")]
    lines += [("CHANGE", "0.00"), "GST Summary  Amount  Tax", "T:6% GST   11.32 - 0.68"]
    assert read(lines).amount_total == Decimal("12.00")


def test_an_amount_paid_exactly_and_printed_twice_beats_a_total_one_digit_off_printed_once():
    lines = [*HEADER, ("2 x 41.40", "82.80"), ("Total Sales (Inclusive GST)", "RM 82.86"), ("CREDIT", "RM 82.80")]
    assert read(lines).amount_total == Decimal("82.80")
    # the amount paid printed only on its own line: nothing says which of the two OCR misread, the total stands
    lines = [*HEADER, ("Total Sales (Inclusive GST)", "RM 82.86"), ("CREDIT", "RM 82.80")]
    assert read(lines).amount_total == Decimal("82.86")


def test_cash_minus_change_replaces_a_total_one_digit_off_when_a_second_printed_thing_agrees():
    # the subtotal printed as the amount paid
    lines = [*HEADER, ("SUB TOTAL (INCL. GST)", "35.40"), ("TOTAL", "RM 36.40"), ("CASH", "50.00"), ("CHANGE", "14.60")]
    assert read(lines).amount_total == Decimal("35.40")
    # the tax printed with its rate: carried by the amount paid, not by the total read
    lines = [*HEADER, ("TOTAL INCL. GST 6%", "RM 8.40"), ("CASH", "RM 20.00"), ("CHANGE", "RM 11.40")]
    lines.append(("GST @6% INCLUDED", "RM 0.49"))
    assert read(lines).amount_total == Decimal("8.60")
    # subtotal, tax and rounding add up to what was paid exactly; the total's line lost its last digit
    lines = [*HEADER, ("SUB TOTAL", "14.00"), ("GST 6%", "0.84"), ("ROUNDING ADJ", "0.01"), ("NET TOTAL", "14.8")]
    lines += [("Cash", "14.85"), ("CHANGE", "0.00")]
    assert read(lines).amount_total == Decimal("14.85")
    # no witness: the payment lines alone do not overrule the total's line
    lines = [*HEADER, ("TOTAL", "RM 36.40"), ("CASH", "50.00"), ("CHANGE", "14.60")]
    assert read(lines).amount_total == Decimal("36.40")


def test_a_labelled_date_whose_day_ocr_misread_is_put_right_by_one_lookalike_digit():
    lines = [*MALAYSIAN[:6], ("Doc No CS00010930", "Date: 77/03/2018"), *MALAYSIAN[7:]]
    receipt = read(lines)
    assert receipt.issue_date == dt.date(2018, 3, 17)  # a one read as a seven
    assert receipt.confidence["issue_date"] < 0.5
    lines = [*MALAYSIAN[:6], ("Doc No CS00010930", "Ref: 77/03/2018"), *MALAYSIAN[7:]]
    assert read(lines).issue_date is None  # no label, no time: no date to repair


def test_a_two_digit_year_gives_way_to_the_same_day_printed_with_four():
    lines = [*MALAYSIAN[:6], ("Cash Inv No 7005710", "Date: 08/10/20.."), *MALAYSIAN[7:12], "DD: 08/10/2017 12:12"]
    assert read(lines).issue_date == dt.date(2017, 10, 8)


def test_a_stamp_with_an_o_for_a_zero_and_a_spaced_time_is_read():
    lines = [*MALAYSIAN[:6], *MALAYSIAN[8:], "27- O4- 18 16: 40 SH01 2J42 T1 R000235438"]
    assert read(lines).issue_date == dt.date(2018, 4, 27)
