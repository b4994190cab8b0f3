"""What stands around a label, asked alike by the number and the dates readers.

A number word after a label or among a title's words, a sentence running
into a label, a label and its translation side by side.  The pages are
made up (text lines, or pages drawn with reportlab as in
``test_varied_layouts``); no corpus document is pinned here.
"""

from __future__ import annotations

from invoice_import.engine.freeform import extract_from_text
from invoice_import.engine.freeform.fields import identifier_in


def test_a_number_word_among_a_titles_words_is_a_word_of_its_own():
    # "November" starts with "No": the number word is the "Nr." after it
    invoice = extract_from_text(["Muster GmbH\nRechnung für November Nr. BR-4711\nGesamtbetrag 119,00 EUR"])
    assert invoice.invoice_number == "BR-4711"


def test_a_number_sign_after_the_number_word_is_no_part_of_the_number():
    assert identifier_in("Nr. # 4711") == ("4711", 6)
    assert identifier_in("Notiz 4711") is None  # a word starting with "No" is no number word
