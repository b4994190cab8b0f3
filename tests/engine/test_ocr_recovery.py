"""OCR of receipts that lose their text to the page around it: a black surround.

The receipts are drawn here (``test_receipts``' till rolls, rendered by the
engine's own PDF renderer) and read by tesseract as the product reads them.
"""

import datetime as dt
import io
from decimal import Decimal

import numpy as np
from PIL import Image

from invoice_import.engine.extract import extract_bytes
from invoice_import.engine.images import whiten_surround

from .test_receipts import MALAYSIAN, receipt_image


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
