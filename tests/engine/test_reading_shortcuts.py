"""Work the reader skips or does once, and why skipping it cannot change what it reads.

The speed work of issue 11 (section 4) keeps every answer the same: each
shortcut here rests on a fact about what it skips (a line without digits
has no number, a number's digits are a run of the line's digits, a decimal
mark changes only a number like 1.234, text drawn twice on itself is read
once while the same word printed twice is kept).  These tests check those
facts on real input: pages drawn with reportlab and read through pdfium,
lines as invoices print them.
"""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from invoice_import.engine.freeform import labels as lb
from invoice_import.engine.freeform.amounts import decimal_mark_matters, find_amounts
from invoice_import.engine.layout import Layout, Word
from invoice_import.engine.limits import Deadline
from invoice_import.engine.pdf import positioned_words
from invoice_import.engine.pivot import Invoice
from invoice_import.engine.provenance import locate
from invoice_import.engine.values import find_dates

PAGE = (600.0, 800.0)


def _line(y: float, text: str, x: float = 50) -> list[Word]:
    words = []
    for token in text.split():
        words.append(Word(token, x, y, x + 6 * len(token), y + 10))
        x += 6 * len(token) + 4
    return words


def _pdf(draw) -> bytes:
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=A4)
    page.setFont("Helvetica", 11)
    draw(page)
    page.save()
    return buffer.getvalue()


def _page_lines(data: bytes) -> list[str]:
    words = positioned_words(data, [0], Deadline(30))[0]
    return [line.text for line in Layout([words]).lines]


@pytest.mark.parametrize(
    "printed",
    ["Total 1.234,50 EUR", "Total EUR 1 234,50", "Total: 1,234.50", "Gesamt 01234,5", "Balance -1,234.50", "1234.5000"],
)
def test_an_amount_is_located_however_its_digits_are_grouped(printed):
    page = Layout([_line(100, "ACME Tools Ltd") + _line(300, printed)])
    found = locate(Invoice(amount_total=Decimal("1234.5")), page, [PAGE])
    assert found["amount_total"][0]["page"] == 0
    assert found["amount_total"][0]["box"][1] == round(300 / PAGE[1], 4)


def test_a_line_whose_digits_do_not_hold_the_value_in_a_row_gives_no_box():
    # the first line's digits hold 1 2 3 4 5 in a row, yet no number of it is 1234.5: the second line's is
    page = Layout([_line(100, "Ref 12345-9 of 123,45") + _line(300, "Total 1.234,50")])
    found = locate(Invoice(amount_total=Decimal("1234.5")), page, [PAGE])
    assert found["amount_total"][0]["box"][1] == round(300 / PAGE[1], 4)
    assert "amount_total" not in locate(Invoice(amount_total=Decimal("9876.5")), page, [PAGE])


def test_a_three_decimal_value_is_found_where_the_line_is_ambiguous():
    # "1,234" is 1234 or 1.234 as the document's mark says: provenance tries every mark on such a line
    page = Layout([_line(300, "Total 1,234 EUR")])
    assert "amount_total" in locate(Invoice(amount_total=Decimal("1.234")), page, [PAGE])
    assert "amount_total" in locate(Invoice(amount_total=Decimal("1234")), page, [PAGE])


@pytest.mark.parametrize(
    "line",
    ["Total 1234,56 EUR", "Net 12,50 + VAT 20% 2,50", "Qty 3 x 4.99", "Summe 1 234,56", "Balance due 30 days", "№ 17"],
)
def test_a_line_without_an_ambiguous_number_reads_the_same_with_every_decimal_mark(line):
    assert not decimal_mark_matters(line)
    readings = {mark: find_amounts(line, decimal_mark=mark) for mark in (None, ",", ".")}
    assert readings[None] == readings[","] == readings["."]


@pytest.mark.parametrize("line", ["Total 1.234", "Betrag 12,500 EUR", "Menge 999,000"])
def test_a_number_with_one_mark_before_three_digits_depends_on_the_mark(line):
    assert decimal_mark_matters(line)
    assert find_amounts(line, decimal_mark=",") != find_amounts(line, decimal_mark=".")


@pytest.mark.parametrize("line", ["Rechnung an", "Thank you for your business", "Échéance : à réception", ""])
def test_a_line_of_words_has_no_amount_and_no_date(line):
    assert find_amounts(line) == []
    assert find_dates(line) == [] and find_dates(line, dayfirst=False) == []


def test_folding_is_one_character_for_one_even_past_the_remembered_characters():
    text = "Straße Öl Æon Ωmega № 42 % naïve, Échéance"
    folded = lb.fold(text)
    assert len(folded) == len(text)
    assert folded == "".join(lb._fold_char(ch) for ch in text)
    assert folded.split() == ["straße", "ol", "æon", "ωmega", "n", "42", "%", "naive", "echeance"]
    many = "".join(chr(code) for code in range(0x4E00, 0x4E00 + 2 * lb._FOLDS_KEPT))  # more than the table keeps
    assert lb.fold(many) == "".join(lb._fold_char(ch) for ch in many)
    assert len(lb._FOLDS) <= lb._FOLDS_KEPT


def test_a_word_laid_twice_on_itself_is_read_once_and_a_word_printed_twice_is_kept():
    # pdfminer's characters (a page pdfium does not read) keep both copies of fake bold: the layout drops one
    bold = _line(100, "Invoice INV-881") + _line(100, "Invoice INV-881", x=50.3)
    twice = _line(200, "Total") + _line(200, "Total", x=400) + _line(200.4, "Total", x=400.2)
    lines = Layout([bold + twice]).lines
    assert [line.text for line in lines] == ["Invoice INV-881", "Total   Total"]
    assert [len(line.words) for line in lines] == [2, 2]


def test_text_drawn_twice_on_a_pdf_page_is_read_once_and_a_word_printed_twice_is_kept():
    def draw(page):
        for offset in (0.0, 0.3):  # fake bold: the same text again, a fraction of a point to the right
            page.drawString(72 + offset, 700, "Invoice INV-881")
        page.drawString(72, 650, "10 x 10 pcs")
        page.drawString(72, 600, "Total")
        page.drawString(400, 600, "Total")  # the same word twice on a line, a column apart

    lines = _page_lines(_pdf(draw))
    assert lines[0] == "Invoice INV-881"
    assert lines[1] == "10 x 10 pcs"
    assert lines[2].split() == ["Total", "Total"]


def test_words_end_at_spaces_and_line_breaks_and_cells_at_column_gaps():
    def draw(page):
        page.drawString(72, 700, "Invoice date:  ")
        page.drawString(300, 700, "05.03.2018")
        text = page.beginText(72, 650)
        text.textLines("Bill to\nACME   Tools")
        page.drawText(text)

    words = positioned_words(_pdf(draw), [0], Deadline(30))[0]
    assert [word.text for word in words] == ["Invoice", "date:", "05.03.2018", "Bill", "to", "ACME", "Tools"]
    header = Layout([words]).lines[0]
    assert [cell.text for cell in header.cells] == ["Invoice date:", "05.03.2018"]
    for cell in header.cells:
        assert (cell.x0, cell.x1) == (min(w.x0 for w in cell.words), max(w.x1 for w in cell.words))
        assert header.text[cell.start : cell.end] == cell.text


def test_the_label_matcher_grouped_by_first_letter_finds_what_the_phrases_tried_in_turn_find():
    import re

    in_turn = re.compile(
        r"(?<![a-z0-9])(?:"
        + "|".join(lb._phrase_pattern(key) for key in sorted(lb._TABLE, key=len, reverse=True))
        + ")"
        + lb.LABEL_END
    )
    lines = [
        "Rechnungsnummer: 471102   Rechnungsdatum 05.03.2018",
        "Invoice No. INV-2024-0042   Invoice date 12/03/2024   Due date 11/04/2024",
        "Total (IVA incluido) 121,00 EUR",
        "Montant total HT 100,00 € TVA 20 % 20,00 € Total TTC 120,00 €",
        "Bill to: ACME Tools Ltd, VAT number GB123456789, purchase order PO-88123",
        "factuurnummer 2024-17 vervaldatum 1-4-2024 btw-nummer NL123456789B01",
        "Fälligkeitsdatum16.09.2026 Nr2 PO445",
    ]
    for line in lines:
        folded = lb.fold(line)
        for position in range(len(folded)):
            grouped, plain = lb._MATCHER.search(folded, position), in_turn.search(folded, position)
            assert (grouped and grouped.span()) == (plain and plain.span())
    assert [hit.phrase for hit in lb.find_labels(lb.fold(lines[1]), lines[1])][:2] == ["invoice no", "invoice date"]


_TILL_LINES = [
    "KEDAI BESI MAJU SDN BHD",
    "NO 12, JALAN INDAH 3",
    "Receipt No: 0042   Cashier: 3   Counter 2",
    "Date: 13/09/2017 16:48",
    "Qty Item",
    "2 Paint brush 11.00",
    "Subtotal 11.00",
    "Rounding 0.00",
    "Total 11.00",
    "Cash 20.00",
    "Change 9.00",
    "Thank you, member",
]
_LONG = "   Stock keeping unit of the delivered goods as listed on the order confirmation"


@pytest.mark.parametrize(
    ("lines", "till_roll"),
    [
        (_TILL_LINES, True),  # a till roll: a receipt
        (_TILL_LINES, False),  # short lines and till words: a receipt without the roll
        ([line + _LONG for line in _TILL_LINES], False),  # every till word, on long lines: not one
        ([line + _LONG for line in _TILL_LINES], True),  # long lines, but measured as a till roll: one
        (["Invoice number 7", "Due date 31/03/2024", "Bill to Bob", "Widget 10.00", "Total 10.00"], False),
    ],
)
def test_a_page_too_wide_for_a_till_is_no_receipt_whatever_its_words(lines, till_roll):
    from invoice_import.engine.freeform import receipt
    from invoice_import.engine.ocr import OcrText

    pages = [OcrText("\n".join(lines), till_roll=till_roll)]
    evidence = receipt.receipt_evidence(pages)
    # the words alone (a long-lined page with all a till prints) stay under the bar; the shortcut agrees throughout
    assert evidence.score - receipt._shape_clues(pages, receipt._lines(pages)).score <= receipt._MOST_WORD_POINTS
    assert receipt._MOST_WORD_POINTS < receipt._RECEIPT_SCORE
    assert receipt.looks_like_receipt(pages) == evidence.is_receipt


_DATE_LINES = [
    "from 01.09.13 to 30 Sept. 2013",
    "Invoice date: March 5, 2024   Due: 5-Apr-24",
    "Rechnungsdatum 20240305 Lieferdatum 2024-03-01",
    "le 3 mars 2024, échéance 02/04/24",
    "Fecha 5 de marzo de 2024",
    "Total 1.234,56   Qty 12   31/12/99",
    "Ref 1234 of 12.3.45",
    "1 March 24 and 7 Sep 2025",
]


@pytest.mark.parametrize("line", _DATE_LINES)
def test_a_line_without_four_digits_in_a_row_is_not_searched_for_years_and_loses_no_date(line, monkeypatch):
    import invoice_import.engine.values as values

    year_patterns = values._FOUR_DIGIT_PATTERNS
    values.forget_lines()
    shortcut = [values.find_dates(line, first) for first in (True, False)]
    monkeypatch.setattr(values, "_FOUR_DIGIT_PATTERNS", frozenset())  # every pattern tried on every line
    values.forget_lines()
    assert [values.find_dates(line, first) for first in (True, False)] == shortcut
    values.forget_lines()
    for regex in year_patterns:
        assert all(values._FOUR_DIGITS.search(match.group(0)) for match in regex.finditer(line))


@pytest.mark.parametrize(
    "lines",
    [
        ["Total 135.01", "Total in words: Indian Rupee One Hundred", "Thirty-Five and One Paise Only", "Thank you"],
        ["Amount chargeable (in words)", "Rupees Twelve Thousand Five Hundred Only", "E. & O.E"],
        ["Grand total 200.50", "Two hundred dollars and 50 cents", "Payment within thirty days, one copy for you"],
        ["Invoice 12", "Widget 10.00 12", "nine", "ninety-nine", "Total 1.234,56"],
        ["Total 99.00"],
        [],
    ],
)
def test_amounts_in_words_read_a_line_pair_the_same_from_each_lines_words(lines):
    from invoice_import.engine.freeform.words import amounts_in_lines, amounts_in_words

    pairwise = []  # each pair's text read whole, as before: a line, a space, the next line
    for index, line in enumerate(lines):
        text = line + " " + lines[index + 1] if index + 1 < len(lines) else line
        pairwise += [value for value in amounts_in_words(text) if value not in pairwise]
    assert amounts_in_lines(lines) == pairwise


def test_a_line_asked_for_dates_both_ways_reads_its_numeric_dates_each_way():
    import datetime as dt

    import invoice_import.engine.values as values

    values.forget_lines()
    line = "Date 07/08/2024   due 2024-09-01   12 Sept. 2024"
    day_first = [dt.date(2024, 8, 7), dt.date(2024, 9, 1), dt.date(2024, 9, 12)]
    month_first = [dt.date(2024, 7, 8), dt.date(2024, 9, 1), dt.date(2024, 9, 12)]
    for first, expected in ((True, day_first), (False, month_first), (True, day_first)):
        assert [found for _start, _end, found in find_dates(line, dayfirst=first)] == expected


def _words_with_a_box_tuple(chars, page):
    """``layout.words_from_characters`` as first written (the box a tuple, grown with min and max): the reference."""
    from invoice_import.engine.layout import _WORD_GAP

    words, text, box, last_x0 = [], "", None, 0.0
    for char, x0, top, x1, bottom in chars:
        if not char.strip() or x1 <= x0 and bottom <= top:
            if text:
                words.append(Word(text, *box, page=page))
            text, box = "", None
            continue
        if box is not None:
            height = max(box[3] - box[1], bottom - top, 1e-6)
            new_line = top > box[3] - 0.3 * height or bottom < box[1] + 0.3 * height
            if new_line or x0 < last_x0 or x0 - box[2] > _WORD_GAP * height:
                words.append(Word(text, *box, page=page))
                text, box = "", None
        if box is None:
            text, box = char, (x0, top, x1, bottom)
        else:
            text += char
            box = (min(box[0], x0), min(box[1], top), max(box[2], x1), max(box[3], bottom))
        last_x0 = x0
    if text:
        words.append(Word(text, *box, page=page))
    return words


def test_characters_make_the_words_the_tuple_box_made_on_glyphs_that_overlap_jump_and_rise():
    import random

    from invoice_import.engine.layout import words_from_characters

    rng = random.Random(7)
    chars, x, y = [], 10.0, 100.0
    for _ in range(3000):
        kind = rng.random()
        if kind < 0.1:
            chars.append((rng.choice([" ", "\n", "\t"]), 0.0, 0.0, 0.0, 0.0))
            continue
        if kind < 0.15:
            x -= rng.uniform(0, 30)  # a move back: a new run
        elif kind < 0.2:
            y += rng.choice([-12.0, 12.0, 3.0])  # another line, or a glyph raised a little
        elif kind < 0.25:
            x += rng.uniform(5, 20)  # a gap without a space
        width, size = rng.uniform(0, 7), rng.choice([8.0, 10.0, 10.5, 0.0])
        rise = rng.uniform(-1, 1)
        chars.append((rng.choice("AbcÄ1.,€-"), x - rng.uniform(0, 1), y + rise, x + width, y + rise + size))
        x += width - rng.uniform(0, 1.5)  # tight fonts overlap their neighbours
    assert words_from_characters(chars, 3) == _words_with_a_box_tuple(chars, 3)
    assert len(words_from_characters(chars, 3)) > 300


def test_words_group_into_the_lines_a_word_by_word_collision_check_makes(monkeypatch):
    import random

    from invoice_import.engine import layout as layout_module

    rng = random.Random(11)
    words = []
    for row in range(60):  # tight leading: rows 9 apart, words 10 high, some raised, some drawn twice
        y = 40 + 9 * row + rng.uniform(-2, 2)
        x = rng.uniform(20, 80)
        for _ in range(rng.randint(1, 12)):
            width = rng.uniform(5, 60)
            word = Word(rng.choice(["Total", "12,50", "EUR", "Rechnung", "Nr.", "—"]), x, y, x + width, y + 10)
            words.append(word)
            if rng.random() < 0.1:
                words.append(Word(word.text, x + 0.3, y + 0.2, x + width + 0.3, y + 10.2))
            x += width + rng.choice([-8.0, 2.0, 4.0, 30.0])  # some words overlap the one before
    rng.shuffle(words)

    def lines_of(page_words):
        return [(line.text, [(w.x0, w.top) for w in line.words]) for line in Layout([page_words]).lines]

    shortcut = lines_of(words)

    def word_by_word(line, state, word):
        margin = 0.5 * word.height
        return any(other.x0 < word.x1 - margin and word.x0 < other.x1 - margin for other in line.words)

    monkeypatch.setattr(layout_module, "_collides", word_by_word)
    assert lines_of(words) == shortcut
    assert len(shortcut) > 60  # words overlapping their neighbour were put on lines of their own


def test_a_line_asked_for_amounts_with_each_mark_in_turn_reads_each_mark_its_way():
    from invoice_import.engine.freeform import amounts

    amounts.forget_lines()
    line = "am 01.02.2024 bis 19.12. Menge 1.234   Betrag 2 500,50 EUR"
    for _ in range(2):  # the second round from what was remembered
        assert [a.value for a in find_amounts(line, decimal_mark=",")] == [Decimal("1234"), Decimal("2500.50")]
        assert [a.value for a in find_amounts(line, decimal_mark=".")] == [Decimal("1.234"), Decimal("2500.50")]
        assert [a.value for a in find_amounts(line, decimal_mark=",", spaced_thousands=False)] == [
            Decimal("1234"),
            Decimal("2"),
            Decimal("500.50"),
        ]


@pytest.mark.parametrize(
    "line",
    ["Rechnungsdatum 05.03,2013", "Due 3O/12/2017", "Datum lO.O3.2Ol4", "Due OI/O2/2O24", "Thank you", "Total 12,50"],
)
def test_a_line_without_a_digit_has_no_date_even_with_letters_read_as_digits(line, monkeypatch):
    from invoice_import.engine.freeform import dates
    from invoice_import.engine.freeform.document import Document

    doc = Document(pages=["ACME GmbH\nZahlbar innerhalb 14 Tagen netto\n" + line])
    shortcut = dates.dates_in(doc, line)
    monkeypatch.setattr(dates, "has_digit", lambda text: True)  # every line through the OCR repairs
    assert dates.dates_in(doc, line) == shortcut
    assert dates.payment_terms_days(doc) == dates.payment_terms_days(doc) == (14, "zahlbar innerhalb 14 tagen netto")
