"""The document number on OCR words: a number label a scan garbled, a colon read as a digit."""

from __future__ import annotations

import pytest

from invoice_import.engine.freeform import extract_from_layout
from invoice_import.engine.layout import Layout

from .test_layout_reader import words


def number(*rows):
    invoice = extract_from_layout(Layout([words(*rows)]))
    return invoice.invoice_number, invoice.confidence["invoice_number"]


def header(label: str, below: str = "Rechnungsdatum   05.03.2013"):
    """A letterhead on the left, a header block on the right: the title, then a row with ``label``."""
    first, second = below.split("   ")
    return (
        (40, 40, "Lieferant GmbH"),
        (300, 40, "RECHNUNG"),
        (40, 55, "80333 München"),
        (300, 55, label),
        (420, 55, "471102"),
        (40, 70, "Deutschland"),
        (300, 70, first),
        (420, 70, second),
    )


@pytest.mark.parametrize("garbled", ["Recnungsiannrer", "NS"])
def test_a_garbled_label_in_the_first_row_under_the_title_still_gives_the_number_weakly(garbled):
    value, confidence = number(*header(garbled))
    assert value == "471102"
    assert confidence < 0.6  # doubtful: a person confirms it


def test_a_known_label_under_the_title_says_the_row_is_not_the_number():
    assert number(*header("Kundennummer"))[0] is None


def test_the_row_must_start_in_the_titles_column():
    rows = list(header("Recnungsiannrer"))
    rows[3] = (360, 55, "Recnungsiannrer")
    rows[4] = (480, 55, "471102")
    assert number(*rows)[0] is None


def test_a_number_label_read_anywhere_wins_over_the_row_under_the_title():
    rows = header("Recnungsiannrer") + ((40, 300, "Rechnungsnummer: RE-2013-88"),)
    assert number(*rows)[0] == "RE-2013-88"


def test_a_short_value_under_the_title_is_not_taken_for_the_number():
    rows = list(header("Seite"))
    rows[3] = (300, 55, "Blatt")
    rows[4] = (420, 55, "1")
    assert number(*rows)[0] is None


def test_a_colon_read_as_a_digit_before_the_numbers_own_cell_is_passed_over():
    value, _confidence = number((40, 40, "Atelier Durand"), (300, 40, "FACTURE N° 6."), (420, 40, "F20260030"))
    assert value == "F20260030"


def test_a_one_digit_number_alone_stays_the_number():
    value, _confidence = number((40, 40, "Atelier Durand"), (300, 40, "FACTURE N° 7"), (300, 60, "Date : 05.03.2024"))
    assert value == "7"
