"""The template-free reader on text layers HTML-to-PDF printers write (WeasyPrint, headless Chromium).

Found by ``bench/html_invoices.py --engine weasyprint``: such printers set a
letter-spaced label glyph by glyph with no space glyphs, and pdfium makes
up spaces at some of the even gaps.  Each case is a made-up page drawn with
reportlab (its text operators written as those printers write them); no
outside document is pinned here.
"""

from __future__ import annotations

import io

import pypdfium2 as pdfium
from reportlab.lib.pagesizes import A4
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas

from invoice_import.engine.extract import extract_bytes
from invoice_import.engine.layout import Layout, pdfium_page_words

from .test_layout_reader import words
from .test_varied_layouts import read, supplier, totals

_TOTALS = [("Summe netto", "100,00"), ("MwSt. 19%", "19,00"), ("Gesamtbetrag", "119,00")]
_SPACE_ADVANCE = 278  # Helvetica's space, thousandths of the font size


def _tracked(pdf: canvas.Canvas, x: float, y: float, text: str, tracking: int, size: float = 9) -> None:
    """``text`` in one TJ, each glyph moved on by ``tracking`` thousandths of an em and each word break by a
    space's advance more, no space glyph drawn: letter-spaced text as HTML printers write it."""
    items = []
    for word in text.split(" "):
        items += [f"({char}) {-tracking}" for char in word]
        items[-1] = f"({word[-1]}) {-(tracking + _SPACE_ADVANCE)}"
    pdf._code.append(f"BT /F1 {size} Tf {x} {A4[1] - y} Td [{' '.join(items)}] TJ ET")


def _page(plain: list[tuple[float, float, str]], tracked: list[tuple[float, float, str, int]]) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica", 9)  # registers Helvetica as /F1 for the tracked runs
    for x, y, text in plain:
        pdf.drawString(x, A4[1] - y, text)
    for x, y, text, tracking in tracked:
        _tracked(pdf, x, y, text, tracking)
    pdf.save()
    return buffer.getvalue()


def _words(data: bytes) -> list[str]:
    document = pdfium.PdfDocument(data)
    try:
        return [word.text for word in pdfium_page_words(document[0], 0)]
    finally:
        document.close()


def test_letter_spaced_words_read_whole_and_apart():
    # at these trackings pdfium makes up a space between every two glyphs ("P U R C H A S E")
    for tracking in (150, 200):
        data = _page([(40, 40, "Atlas Trading GmbH")], [(40, 100, "PURCHASE ORDER Invoice number", tracking)])
        assert _words(data) == ["Atlas", "Trading", "GmbH", "PURCHASE", "ORDER", "Invoice", "number"], tracking


def test_a_made_up_space_in_print_without_tracking_still_breaks_words():
    # words set apart by a kerning move and no space glyph, the glyphs of each word abutting
    data = _page([], [(40, 100, "Invoice 4711 Order 12", 0)])
    assert _words(data) == ["Invoice", "4711", "Order", "12"]


def test_a_letter_spaced_label_labels_its_value():
    data = _page(
        supplier("USt-IdNr.: DE136695976")
        + [(200, 230, "INV-4711"), (200, 244, "05.03.2018"), (200, 258, "PO-88123")]
        + totals(400, _TOTALS),
        [(40, 230, "INVOICE NUMBER", 180), (40, 244, "INVOICE DATE", 180), (40, 258, "PURCHASE ORDER", 180)],
    )
    (invoice,) = extract_bytes(data, filename="drawn.pdf").invoices
    assert invoice.invoice_number == "INV-4711"
    assert invoice.po_reference == "PO-88123"


def _read_between_letterhead_and_totals(items: list[tuple[float, float, str]]):
    return read(supplier("USt-IdNr.: DE136695976") + items + totals(400, _TOTALS))


def _cells(layout: Layout) -> list[list[str]]:
    return [[cell.text for cell in line.cells] for line in layout.lines]


def test_rows_that_share_only_their_margins_are_no_table():
    # an address block beside right-aligned labels: the lines share the left margin, and the next label's start
    # falls by chance into a word gap of this one ("Date | of issue")
    layout = Layout(
        [
            words(
                (40, 100, "Vanguard Logistics"), (310, 100, "Number 944658"),
                (40, 112, "56 Quai"), (300, 112, "Date of issue 22.12.2024"),
                (40, 124, "49077 Milano"), (328, 124, "Our order PO47878"),
            )
        ]
    )  # fmt: skip
    assert _cells(layout)[1] == ["56 Quai", "Date of issue 22.12.2024"]


def test_an_amount_with_its_thousands_apart_stays_whole_under_a_column_ending_inside_it():
    # the rows' label and amount end together, and the unit price column ends by chance in the space between
    # the total's thousands: "2 388.91" is one value
    layout = Layout(
        [
            words(
                (40, 188, "Oak chair"), (282, 188, "914.05"), (332, 188, "28.10"),
                (40, 200, "Net total"), (312, 200, "2 388.91"),
            )
        ]
    )  # fmt: skip
    assert _cells(layout)[1] == ["Net total", "2 388.91"]


def test_a_row_of_a_left_aligned_table_splits_where_the_next_rows_cells_start():
    # padding of a few points: "Payment due date" and "PO" one word gap apart, each starting its column
    layout = Layout(
        [
            words(
                (40, 100, "Invoice"), (120, 100, "Invoice"), (200, 100, "Payment due date PO"), (400, 100, "Customer"),
                (40, 112, "number"), (120, 112, "date"), (302, 112, "number"), (400, 112, "no."),
                (40, 126, "F-4711"), (120, 126, "05.03.2018"), (200, 126, "04.04.2018"), (302, 126, "PO-88123"),
                (400, 126, "C-77"),
            )
        ]
    )  # fmt: skip
    assert _cells(layout)[0] == ["Invoice", "Invoice", "Payment due date", "PO", "Customer"]


def test_a_row_of_a_right_aligned_table_splits_where_the_next_rows_cells_end():
    # right-aligned titles and values: "Fällig am Bestellung" ends where two value cells end
    layout = Layout(
        [
            words((70, 100, "Datum"), (148, 100, "Fällig am Bestellung"), (300, 100, "Kunde"))
            + words((40, 112, "05.03.2018"), (142, 112, "04.04.2018"), (220, 112, "PO-88123"), (294, 112, "C-7777"))
        ]
    )
    assert _cells(layout) == [
        ["Datum", "Fällig am", "Bestellung", "Kunde"],
        ["05.03.2018", "04.04.2018", "PO-88123", "C-7777"],
    ]


def test_a_line_of_prose_over_a_table_stays_one_cell():
    layout = Layout(
        [words((40, 100, "Please pay the amount due by the date below"), (40, 112, "Due date"), (160, 112, "Total"))]
    )
    assert _cells(layout)[0] == ["Please pay the amount due by the date below"]


def test_a_short_value_ending_inside_a_left_aligned_title_does_not_split_it():
    layout = Layout([words((40, 100, "Invoice number"), (160, 100, "Order reference"), (40, 112, "F-4711"),
                           (166, 112, "K-40"), (280, 112, "C-77"))])  # fmt: skip
    assert _cells(layout)[0] == ["Invoice number", "Order reference"]


def test_a_wrapped_order_title_a_word_gap_from_the_title_before_it_heads_its_value():
    # "Date of payment PO" over "number": the order's title starts its column a space after the due date's ends
    columns = [40, 130, 220, 220 + stringWidth("Date of payment ", "Helvetica", 9)]
    columns.append(columns[-1] + 90)
    rows = [
        (230, ["Invoice", "Invoice", "Date of payment", "PO", "Customer"]),
        (241, ["number", "date", "", "number", "no."]),
        (255, ["F-4711", "05.03.2018", "04.04.2018", "PO-88123", "C-77"]),
    ]
    invoice = _read_between_letterhead_and_totals(
        [(x, y, text) for y, texts in rows for x, text in zip(columns, texts, strict=True) if text]
    )
    assert invoice.po_reference == "PO-88123"
    assert invoice.invoice_number == "F-4711"


def test_a_code_a_narrow_cell_wrapped_after_its_letters_is_read_whole():
    # the first piece holds no digit ("RE/", "PO-"): no code alone, the piece under it completes it
    invoice = _read_between_letterhead_and_totals(
        [(40, 230, "Invoice number:"), (150, 230, "RE/"), (150, 241, "2023/040"), (300, 230, "Customer no.:")]
        + [(400, 230, "C-77"), (40, 255, "Invoice date:"), (150, 255, "05.03.2018")]
        + [(40, 269, "PO number:"), (150, 269, "PO-"), (150, 280, "88123")]
    )
    assert invoice.invoice_number == "RE/2023/040"
    assert invoice.po_reference == "PO-88123"


def test_a_code_piece_is_not_joined_to_a_word_or_a_row_further_down():
    invoice = _read_between_letterhead_and_totals(
        [(40, 230, "Invoice number:"), (150, 230, "RE/"), (150, 241, "Lieferung"), (40, 255, "PO number:")]
        + [(150, 255, "PO-"), (150, 290, "88123")]
    )
    assert invoice.invoice_number != "RE/Lieferung"
    assert invoice.po_reference != "PO-88123"


def test_a_date_wrapped_to_the_next_line_after_its_label_ends_the_line():
    # "label: value" pairs run on like text; the page's edge falls between "Fällig am:" and its date
    line = "Rechnungsnummer: RE-4711   Rechnungsdatum: 05.03.2018   Fällig am:"
    invoice = _read_between_letterhead_and_totals([(40, 230, line), (40, 241, "04.04.2018   Kunden-Nr.: C-77")])
    assert invoice.due_date.isoformat() == "2018-04-04"


def test_a_date_starting_the_next_line_is_not_the_value_of_a_title_ending_a_row_of_titles():
    # a row of titles without values before them: the date under the first title is that title's
    invoice = _read_between_letterhead_and_totals(
        [(40, 230, "Lieferdatum"), (150, 230, "Kunden-Nr."), (260, 230, "Fällig am:"), (40, 241, "04.04.2018")]
        + [(150, 241, "C-77")]
    )
    assert invoice.due_date is None or invoice.due_date.isoformat() != "2018-04-04"


def test_a_date_under_a_right_aligned_title_is_read_from_a_row_of_values_run_together():
    # "05.03.2018 04.04.2018" reads as one cell; the due date's title ("Fällig" over "am") is over its second date
    invoice = _read_between_letterhead_and_totals(
        [(200, 230, ">Rechnungsdatum"), (300, 230, ">Fällig"), (300, 241, ">am"), (300, 255, ">05.03.2018 04.04.2018")]
    )
    assert invoice.due_date.isoformat() == "2018-04-04"


def test_a_wrapped_title_with_another_titles_line_between_its_two_lines_heads_its_value():
    # titles bottom-aligned: "Rechnungsdatum" prints between "Fällig" and "am", which wrap in a narrower cell
    invoice = _read_between_letterhead_and_totals(
        [(140, 224, "Fällig"), (40, 231, "Rechnungsdatum"), (140, 238, "am"), (240, 238, "Kunde")]
        + [(40, 252, "05.03.2018"), (140, 252, "04.04.2018"), (240, 252, "C-77")]
        + [(40, 470, "Zahlbar innerhalb von 14 Tagen.")]  # "Fällig" alone is too weak a label to beat the terms
    )
    assert invoice.due_date.isoformat() == "2018-04-04"


def test_a_date_under_its_title_is_read_when_a_longer_title_beside_pushes_the_values_down():
    # the order's title wraps over four lines of its narrow column; the values row starts under its last
    invoice = _read_between_letterhead_and_totals(
        [(40, 230, "Rechnungsdatum"), (140, 230, "Fällig am"), (240, 230, "Ihre"), (240, 241, "Bestellung")]
        + [(240, 252, "PO"), (240, 263, "number"), (40, 280, "05.03.2018"), (140, 280, "04.04.2018")]
        + [(240, 280, "PO-88123")]
    )
    assert invoice.due_date.isoformat() == "2018-04-04"


def test_a_code_wrapped_under_a_wrapped_title_is_read_whole():
    # "PO" over "number" heads a right-aligned narrow column that wraps its code after the hyphen too
    invoice = _read_between_letterhead_and_totals(
        [(40, 230, "Invoice"), (40, 241, "number"), (250, 230, ">PO"), (250, 241, ">number")]
        + [(40, 255, "F-4711"), (250, 255, ">BE2024-"), (250, 266, ">817")]
    )
    assert invoice.po_reference == "BE2024-817"


def test_a_code_wrapped_inside_a_row_of_values_run_together_is_read_whole():
    # the row reads as one cell ("05.03.2018  BE2024-  C-77"); the code's rest sits under its first piece
    row = "05.03.2018  BE2024-  C-77"
    code_x = 40 + stringWidth("05.03.2018  ", "Helvetica", 9)
    invoice = _read_between_letterhead_and_totals(
        [(40, 230, "Date"), (code_x, 230, "PO no."), (40, 244, row), (code_x, 255, "817")]
    )
    assert invoice.po_reference == "BE2024-817"
