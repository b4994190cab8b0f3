"""OCR on generated scans: crooked and noisy pages, German umlauts, multi-page TIFF, image-only PDF pages."""

import io
import time

import numpy as np
import pytest
from PIL import Image

from invoice_import.engine.errors import ExtractionError
from invoice_import.engine.images import (
    binarise,
    clean_page,
    estimate_skew,
    median3,
    otsu_threshold,
    prepare_for_ocr,
    rank_filter,
    to_grayscale,
)
from invoice_import.engine.limits import Deadline, Limits
from invoice_import.engine.ocr import (
    OcrText,
    available_languages,
    first_look_cut,
    fitting_dpi,
    next_languages,
    ocr_image_bytes,
    ocr_image_pages,
    ocr_pdf_pages,
    page_languages,
    recognise,
)
from invoice_import.engine.pdf import open_pdf

from .hostile_files import image_only_pdf, invoice_pdf, scanned_page

LIMITS = Limits()
GERMAN_LABELS = ("Rechnung", "Rechnungsnummer", "Gesamtbetrag")


def rendered_page(pdf_bytes: bytes, index: int = 0, dpi: int = 200) -> Image.Image:
    with open_pdf(pdf_bytes, LIMITS, Deadline(60)) as doc:
        return doc.render_page(index, dpi)


def encoded(image: Image.Image, fmt: str = "PNG", dpi: int = 200, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, dpi=(dpi, dpi), **options)
    return buffer.getvalue()


def test_crooked_noisy_scan_yields_number_and_total():
    page = scanned_page(rendered_page(invoice_pdf(number="INV-2024-0042", total="1,234.56", lines=10)))
    text = ocr_image_bytes(encoded(page), LIMITS, Deadline(60))
    assert "INV-2024-0042" in text
    assert "1,234.56" in text


def test_german_invoice_keeps_umlauts():
    pdf = invoice_pdf(
        number="RE-2024-117",
        total="1.234,56",
        seller="Müller & Söhne Bürobedarf GmbH",
        labels=GERMAN_LABELS,
    )
    text = ocr_image_bytes(encoded(scanned_page(rendered_page(pdf), degrees=-1.5)), LIMITS, Deadline(60))
    assert "Müller & Söhne Bürobedarf GmbH" in text
    assert "RE-2024-117" in text
    assert "Gesamtbetrag: 1.234,56" in text


def test_multi_page_tiff_is_read_page_by_page_in_order():
    pdf = invoice_pdf(number="TIF-77", total="88.10", pages=2)
    first, second = (rendered_page(pdf, index).convert("1") for index in range(2))
    tiff = encoded(first, "TIFF", save_all=True, append_images=[second], compression="group4")
    text = ocr_image_bytes(tiff, LIMITS, Deadline(60))
    assert "(page 1/2)" in text and "(page 2/2)" in text
    assert text.index("(page 1/2)") < text.index("(page 2/2)")
    assert text.count("TIF-77") == 2


def test_image_only_pdf_page_is_ocred_through_the_renderer():
    scan = scanned_page(rendered_page(invoice_pdf(number="SCAN-5521", total="415.00")), degrees=1.0, noise=20)
    with open_pdf(image_only_pdf(scan), LIMITS, Deadline(60)) as doc:
        assert doc.pages_text() == [""]
        [text] = ocr_pdf_pages(doc, [0], LIMITS, Deadline(60))
    assert "SCAN-5521" in text
    assert "415.00" in text


def test_page_over_the_pixel_cap_at_ocr_dpi_is_read_coarser():
    tight = Limits(max_pixels=2_500_000)  # A4 is 3.9 Mpx at 200 dpi, 2.45 Mpx at 159 dpi
    assert fitting_dpi((595.28, 841.89), tight) == 159
    assert fitting_dpi((595.28, 841.89), Limits(max_pixels=100_000)) == 100
    with open_pdf(image_only_pdf(rendered_page(invoice_pdf(number="BIG-881"))), tight, Deadline(60)) as doc:
        [text] = ocr_pdf_pages(doc, [0], tight, Deadline(60))
    assert "BIG-881" in text


def test_scanned_pdf_keeps_gray_levels_so_light_gray_small_print_is_read(corpus_dir):
    # A real invoice (Mustang project sample) printed and scanned at 150 dpi into an image-only PDF: its footer
    # prints the VAT number in light gray 8-point type, which a global threshold broke into unreadable pieces.
    sample = corpus_dir / "ZUGFeRDv2-Mustangproject__MustangGnuaccountingBeispielRE-20190610_507.pdf"
    with open_pdf(sample.read_bytes(), LIMITS, Deadline(60)) as doc:
        page = doc.render_page(0, 150)
    scan = image_only_pdf(scanned_page(page, degrees=-1.2, noise=10.0, seed=3, dust=0.0007))
    with open_pdf(scan, LIMITS, Deadline(60)) as doc:
        cleaned, _dpi = prepare_for_ocr(doc.render_page(0, LIMITS.ocr_dpi), LIMITS.ocr_dpi)
        [text] = ocr_pdf_pages(doc, [0], LIMITS, Deadline(120))
    assert len(np.unique(np.asarray(cleaned))) > 2  # gray levels kept for tesseract's recogniser
    assert "VAT-ID: DE136695976" in text
    assert "Due payable: 571.04" in text


@pytest.mark.parametrize("degrees", [-3.2, -1.0, 0.0, 2.0, 4.5])
def test_skew_estimate_recovers_rotation(degrees):
    page = rendered_page(invoice_pdf(lines=12), dpi=100)
    crooked = page.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    assert estimate_skew(crooked) == pytest.approx(-degrees, abs=0.25)


def test_numpy_filters_give_exactly_what_pillows_rank_filters_give():
    from PIL import ImageFilter

    pixels = np.random.default_rng(7).integers(0, 256, (61, 47), dtype=np.uint8)
    image = Image.fromarray(pixels, "L")
    assert np.array_equal(np.asarray(median3(image)), np.asarray(image.filter(ImageFilter.MedianFilter(3))))
    for size in (3, 5, 9):
        assert np.array_equal(
            rank_filter(pixels, size, np.maximum), np.asarray(image.filter(ImageFilter.MaxFilter(size)))
        )
        assert np.array_equal(
            rank_filter(pixels, size, np.minimum), np.asarray(image.filter(ImageFilter.MinFilter(size)))
        )


def test_clean_page_straightens_and_binarises():
    page = scanned_page(rendered_page(invoice_pdf(), dpi=100), degrees=3.0)
    cleaned = clean_page(page)
    assert cleaned.mode == "L"
    assert set(np.unique(np.asarray(cleaned))) <= {0, 255}
    assert abs(estimate_skew(cleaned)) <= 0.3


def test_otsu_splits_ink_from_paper():
    pixels = np.full((100, 100), 200, dtype=np.uint8)
    pixels[40:60, 10:90] = 60
    gray = Image.fromarray(pixels)
    assert 60 <= otsu_threshold(gray) < 200
    assert np.asarray(binarise(gray))[50, 50] == 0 and np.asarray(binarise(gray))[5, 5] == 255


def test_transparent_background_becomes_white_paper():
    transparent = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    transparent.putpixel((5, 5), (0, 0, 0, 255))
    gray = to_grayscale(transparent)
    assert gray.getpixel((0, 0)) == 255 and gray.getpixel((5, 5)) == 0


def test_sixteen_bit_scan_is_scaled_not_clipped():
    pixels = np.full((10, 10), 60000, dtype=np.uint16)
    pixels[0, 0] = 1000
    scan = Image.fromarray(pixels)
    assert scan.mode.startswith("I")
    gray = to_grayscale(scan)
    assert gray.getpixel((5, 5)) == 255 and gray.getpixel((0, 0)) < 10


def test_missing_languages_are_dropped_and_none_is_an_error():
    assert available_languages("eng+xyz") == "eng"
    with pytest.raises(ExtractionError) as error:
        available_languages("xyz+qqq")
    assert error.value.code == "ocr_unavailable"


def test_missing_tesseract_is_ocr_unavailable(monkeypatch):
    import pytesseract

    monkeypatch.setattr(pytesseract.pytesseract, "tesseract_cmd", "/nonexistent/tesseract")
    with pytest.raises(ExtractionError) as error:
        recognise(Image.new("L", (50, 50), 255), "eng", Deadline(10))
    assert error.value.code == "ocr_unavailable"


def test_tesseract_is_stopped_at_the_deadline():
    page = clean_page(rendered_page(invoice_pdf(lines=30), dpi=300))
    started = time.monotonic()
    with pytest.raises(ExtractionError) as error:
        recognise(page, "eng+deu+fra+nld", Deadline(0.3), dpi=300)
    assert error.value.code == "timeout"
    assert time.monotonic() - started < 3


@pytest.mark.parametrize("degrees", [180, 90])
def test_page_scanned_upside_down_or_sideways_is_turned_and_read(degrees):
    page = rendered_page(invoice_pdf(number="ORI-7731", total="412.50", lines=8))
    [text] = ocr_image_pages(encoded(page.rotate(degrees, expand=True, fillcolor=255)), LIMITS, Deadline(120))
    assert text.turned == (360 - degrees) % 360
    assert "ORI-7731" in text and "412.50" in text


def _recorded_runs(monkeypatch) -> list[tuple[str, int]]:
    """(languages, image height) of every tesseract reading from now on."""
    import pytesseract

    runs = []
    image_to_data = pytesseract.image_to_data
    monkeypatch.setattr(
        pytesseract,
        "image_to_data",
        lambda image, **k: runs.append((k["lang"], image.height)) or image_to_data(image, **k),
    )
    return runs


def test_upright_page_is_read_once_in_one_language(monkeypatch):
    runs = _recorded_runs(monkeypatch)
    page = rendered_page(invoice_pdf(number="ENG-42"))
    [text] = ocr_image_pages(encoded(page), LIMITS, Deadline(60))
    assert "ENG-42" in text and text.turned == 0
    assert [lang for lang, _height in runs] == ["eng", "eng"]  # the first look, then the page, whole
    assert runs[0][1] < page.height / 4 < runs[1][1]  # the look: the top part at half size


def test_german_page_is_read_whole_in_german_after_a_first_look(monkeypatch):
    labels = ("Rechnung für die Lieferung", "Rechnungsnummer", "Gesamtbetrag")
    pdf = invoice_pdf(number="RE-2024-118", seller="Müller Bürobedarf GmbH", labels=labels)
    runs = _recorded_runs(monkeypatch)
    [text] = ocr_image_pages(encoded(rendered_page(pdf)), LIMITS, Deadline(60))
    assert [lang for lang, _height in runs] == ["eng", "deu+eng"]
    assert runs[0][1] < runs[1][1] / 4  # the look was the top part; German, the page was read once, in German
    assert text.languages == "deu+eng" and "Müller Bürobedarf GmbH" in text


def test_next_page_starts_in_the_language_the_last_was_read_in():
    assert next_languages(OcrText("", languages="deu+eng"), "eng+deu+fra+nld") == "deu+eng+fra+nld"
    assert next_languages(OcrText("", languages="eng"), "eng+deu+fra+nld") == "eng+deu+fra+nld"


def _bars(rows: list[tuple[int, int]], height: int = 1000, width: int = 600) -> Image.Image:
    page = np.full((height, width), 255, dtype=np.uint8)
    for top, bottom in rows:
        page[top:bottom, 50:550] = 0
    return Image.fromarray(page, "L")


def test_first_look_cuts_at_the_tallest_blank_band_a_third_of_the_way_down():
    # ink from row 100 to 900: bands between 300 and 500 count; the 40-pixel one wins over the 10-pixel ones
    lines = [(100, 120), (130, 150), (160, 300), (310, 400), (440, 480), (490, 900)]
    assert 400 <= first_look_cut(_bars(lines)) < 440
    # the tallest band of all (the footer's) is too far down
    assert 350 <= first_look_cut(_bars([(100, 350), (358, 700), (800, 900)])) < 358
    assert first_look_cut(_bars([(100, 900)])) is None  # one block: nothing to cut
    assert first_look_cut(_bars([(100, 350), (353, 900)])) is None  # bands under 6 pixels are line spacing


def test_page_languages_come_from_the_page_words():
    assert page_languages("Rechnung Nr. 5 vom 3. März, Betrag und Summe inkl. MwSt", ["deu", "fra"], "eng") == ["deu"]
    assert page_languages("Facture du 3 mars, montant TTC et TVA pour le client", ["deu", "fra"], "eng") == ["fra"]
    assert page_languages("Invoice total due date and the amount of tax", ["deu", "fra", "nld"], "eng") == []


def test_till_roll_is_measured_cut_to_its_ink_and_enlarged():
    from invoice_import.engine.images import measure_layout, prepare_page

    from .test_receipts import MALAYSIAN, receipt_image

    sheet = Image.new("L", (850, 1200), 255)  # a receipt on an A4 sheet scanned at 100 dpi: 12-pixel print
    sheet.paste(receipt_image(MALAYSIAN, dpi=100), (300, 150))
    layout = measure_layout(sheet)
    assert layout.till_roll and layout.text_height < 18
    prepared = prepare_page(sheet, 100)
    assert prepared.till_roll and prepared.image.width < sheet.width * 3 / 2  # cut to its ink, then enlarged
    assert prepared.dpi == 300  # enlarged three times (the most it is), dpi told to tesseract accordingly
    assert 24 <= measure_layout(prepared.image).text_height <= 34


def test_page_read_sideways_is_levelled_after_its_quarter_turn():
    # a photo's skew measured across lines that run down the page says nothing of their slope: a prepared page
    # still tilted once turned upright is levelled before it is read again
    page = rendered_page(invoice_pdf(number="TLT-5083", total="268.40", lines=8)).convert("L")
    tilted = page.rotate(90 + 2.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
    reading = recognise(tilted, "eng", Deadline(120), dpi=200)
    assert reading.turned == 270
    [levelled] = [step for step in reading.steps if step[0] == "rotate"]
    assert levelled[1] == pytest.approx(-2.5, abs=0.3)
    assert "TLT-5083" in reading and "268.40" in reading
