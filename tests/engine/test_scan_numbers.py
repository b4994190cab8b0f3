"""Identifiers on OCR words: a number label a scan garbled, a colon read as a digit, a box edge read as a bracket."""

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


def test_a_bare_hash_label_with_its_colon_introduces_the_number():
    value, _confidence = number(
        (40, 40, "Prerna Tax Services"),
        (400, 60, "TAX INVOICE"),
        (40, 80, "#"),
        (160, 80, ": INV-000007"),
        (40, 95, "Invoice Date"),
        (160, 95, ": 11/12/2023"),
    )
    assert value == "INV-000007"


def test_a_hash_heading_a_column_of_line_numbers_is_no_number_label():
    value, _confidence = number(
        (40, 40, "Prerna Tax Services"),
        (40, 80, "# Item & Description"),
        (300, 80, "Qty   Rate   Amount"),
        (40, 95, "1 Blanket 6301100"),
        (300, 95, "1.00   135.01   135.01"),
    )
    assert value is None


def test_a_box_edge_read_as_a_bracket_before_the_order_reference_is_not_part_of_it():
    invoice = extract_from_layout(
        Layout([words((40, 40, "Acme Ltd."), (40, 60, "Invoice No. 1234567890"), (300, 80, "Your Order:   <A7450891"))])
    )
    assert invoice.po_reference == "A7450891"


def test_the_vat_number_after_your_vat_id_is_the_customers_not_the_sellers():
    invoice = extract_from_layout(
        Layout(
            [
                words(
                    (40, 40, "Acme Ltd."),
                    (40, 60, "Invoice No. 1234567890"),
                    (300, 80, "Your VAT ID:   DE427984273"),
                )
            ]
        )
    )
    assert invoice.supplier.vat is None
    assert invoice.customer.vat == "DE427984273"


def key_value_block(first_cell: str, x: float = 40, date_label: str = "Invoice Date"):
    """A letterhead, the title, then key/value rows: a first row whose label is ``first_cell``, the date under it."""
    return (
        (40, 20, "Prerna Tax Services"),
        (400, 40, "TAX INVOICE"),
        (x, 80, first_cell),
        (160, 80, ": INV-000007"),
        (40, 95, date_label),
        (160, 95, ": 11/12/2023"),
        (40, 110, "Terms"),
        (160, 110, ": Due on Receipt"),
    )


@pytest.mark.parametrize("speck", ["ie", "eH", "H"])
def test_a_number_label_ocr_garbled_to_a_speck_above_the_invoice_date_still_gives_the_number_weakly(speck):
    value, confidence = number(*key_value_block(speck))
    assert value == "INV-000007"
    assert confidence < 0.6  # doubtful: a person confirms it


def test_a_readable_label_above_the_invoice_date_says_the_row_is_something_else():
    assert number(*key_value_block("Order"))[0] is None


def test_the_speck_must_start_in_the_date_labels_column():
    assert number(*key_value_block("ie", x=100))[0] is None


def test_a_bare_date_label_does_not_make_the_row_above_it_the_number():
    assert number(*key_value_block("ie", date_label="Date"))[0] is None
