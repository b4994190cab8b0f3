"""What stands around a label, asked alike by the number and the dates readers.

A number word after a label or among a title's words, a sentence running
into a label, a label and its translation side by side.  The pages are
made up (text lines, or pages drawn with reportlab as in
``test_varied_layouts``); no corpus document is pinned here.
"""

from __future__ import annotations

import datetime as dt

from invoice_import.engine.freeform import extract_from_text
from invoice_import.engine.freeform.document import Document, between_languages
from invoice_import.engine.freeform.fields import identifier_in

from .test_varied_layouts import read, supplier, totals


def test_a_number_word_among_a_titles_words_is_a_word_of_its_own():
    # "November" starts with "No": the number word is the "Nr." after it
    invoice = extract_from_text(["Muster GmbH\nRechnung für November Nr. BR-4711\nGesamtbetrag 119,00 EUR"])
    assert invoice.invoice_number == "BR-4711"


def test_a_number_sign_after_the_number_word_is_no_part_of_the_number():
    assert identifier_in("Nr. # 4711") == ("4711", 6)
    assert identifier_in("Notiz 4711") is None  # a word starting with "No" is no number word


def test_a_sentence_runs_into_a_label_after_as_many_words_as_a_reader_asks():
    doc = Document(["bitte Kundennummer 35040727 und Belegnummer 2018092011804 angeben"])
    line = doc.lines[0]
    customer, document = line.hits
    assert doc.in_prose(line, customer) and doc.in_prose(line, document)
    # dropping a label's value asks for more of a sentence than one word ("bitte")
    assert not doc.in_prose(line, customer, words=3) and doc.in_prose(line, document, words=3)


def test_a_gap_of_columns_ends_the_sentence_before_a_label():
    doc = Document(["bitte angeben  Belegnummer 4711"])
    line = doc.lines[0]
    assert not doc.in_prose(line, line.hits[0])


def test_a_label_and_its_translation_apart_by_a_slash_share_the_value_after_the_second():
    doc = Document(["Rechnungsdatum / Invoice date 05.03.2024", "Rechnungsnummer /"])
    dated, numbered = doc.lines
    german, english = dated.hits
    assert doc.segment_past_translation(dated, german).text == "05.03.2024"
    assert doc.segment_past_translation(dated, english).text == "05.03.2024"
    # a slash ending the line, no translation after it: nothing follows the label there
    assert doc.segment_past_translation(numbered, numbered.hits[0]).text == "/"
    assert between_languages(" / ") and between_languages(" | ") and not between_languages(" / 4711")


def _english_header(header: list[tuple[float, float, str]]):
    """A British seller's invoice with ``header`` between its title and its totals."""
    rows = [("Subtotal", "100.00"), ("VAT 20%", "20.00"), ("Total", "120.00")]
    return read(supplier("VAT Reg No: GB123456789") + [(40, 200, "INVOICE")] + header + totals(400, rows))


def _german_header(header: list[tuple[float, float, str]]):
    """A German seller's invoice with ``header`` between its title and its totals."""
    rows = [("Nettobetrag", "100,00"), ("USt. 19%", "19,00"), ("Gesamtbetrag", "119,00")]
    return read(supplier("USt-IdNr.: DE136695976") + [(40, 200, "Rechnung")] + header + totals(400, rows))


def test_a_date_title_wrapped_over_two_lines_with_its_colon_heads_the_date_under_it():
    # "Invoice" over "date:": the colon after the wrapped label is the label's, as the number reader reads it
    invoice = _english_header(
        [(40, 230, "Invoice"), (130, 230, "Payment due"), (40, 240, "date:"), (130, 240, "date:")]
        + [(40, 256, "28/05/2024"), (130, 256, "27/06/2024")]
    )
    assert invoice.issue_date == dt.date(2024, 5, 28)
    assert invoice.due_date == dt.date(2024, 6, 27)
    assert invoice.confidence["issue_date"] > 0.5  # read under its wrapped title, not guessed from a date alone


def test_a_key_with_its_value_beside_it_on_the_line_above_heads_no_value_under_it():
    # "Order date: 01/05/2024" over "28/05/2024": a key and its value, not the title of the date under it
    invoice = _english_header(
        [(40, 230, "Invoice number: INV-2231"), (160, 230, "Order date: 01/05/2024")]
        + [(40, 240, "Invoice date:"), (160, 240, "28/05/2024")]
    )
    assert invoice.issue_date == dt.date(2024, 5, 28)
    assert invoice.confidence["issue_date"] > 0.9


def test_a_value_beside_a_label_under_another_title_is_that_titles():
    # "Rechnungsnummer /" wraps to "Invoice number"; beside it stands the customer number under its own title
    invoice = _german_header(
        [(40, 240, "Rechnungsnummer /"), (160, 240, "Kundennummer")]
        + [(40, 250, "Invoice number"), (160, 250, "K-88123"), (40, 264, "RE-2024-0471")]
    )
    assert invoice.invoice_number == "RE-2024-0471"
