"""OCR confusions repaired only where the repaired value is validated: totals that then add up."""

from __future__ import annotations

from decimal import Decimal

from invoice_import.engine.freeform import extract_from_layout, extract_from_text
from invoice_import.engine.layout import Layout

from .test_layout_reader import words

HEADER = "Warenwert   Zu-/Abschlag   Nettobetrag   MwSt-Betrag   MwSt-%   Endbetrag"


def totals(*rows: str):
    invoice = extract_from_text(["Gutschrift Nr. 4711\n" + HEADER + "\n" + "\n".join(rows)])
    return invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total


def test_a_minus_read_as_equals_is_repaired_when_the_totals_row_then_adds_up():
    untaxed, tax, total = totals(
        "-2,90   0,08   -2,82   -0,20   7,0   -3,02",
        "-7,90   0,23   =7,67   -1,12   EUR   -8,79",
    )
    assert (abs(untaxed), abs(tax), abs(total)) == (Decimal("7.67"), Decimal("1.12"), Decimal("8.79"))


def test_an_equals_sign_is_not_a_minus_when_the_row_does_not_add_up_either_way():
    untaxed, tax, total = totals(
        "-2,90   0,08   -2,82   -0,20   7,0   -3,02",
        "-7,90   0,23   =7,67   -1,12   EUR   -9,99",
    )
    assert (abs(untaxed), abs(tax), abs(total)) == (Decimal("2.82"), Decimal("0.20"), Decimal("3.02"))


def test_a_minus_sign_ocr_dropped_is_restored_when_the_negative_totals_row_then_adds_up():
    untaxed, tax, total = totals(
        "-5,00   0,15   -4,85   -0,92   19,0   ESF",
        "-7,90   0,23   7,67   -1,12   EUR   -8,79",
    )
    assert (abs(untaxed), abs(tax), abs(total)) == (Decimal("7.67"), Decimal("1.12"), Decimal("8.79"))
    assert untaxed * total > 0 and tax * total > 0  # one sign for the three


def test_a_row_with_a_lost_minus_that_does_not_add_up_is_not_repaired():
    untaxed, tax, total = totals(
        "-5,00   0,15   -4,85   -0,92   19,0   ESF",
        "-7,90   0,23   7,67   -1,12   EUR   -9,99",
    )
    assert (untaxed, tax, abs(total)) == (None, None, Decimal("9.99"))  # the printed total alone, no guessed parts


def test_totals_rows_under_the_item_columns_are_not_its_values_and_equal_items_both_count():
    """A scan whose quantity column OCR lost: the items cannot be multiplied out, the totals still add up.

    The VAT and TOTAL rows printed under the "Sub Total" column belong to the
    totals block; the untaxed amount (not printed) is what the two items of
    25,00 make, and the printed VAT and total confirm it.
    """
    invoice = extract_from_layout(
        Layout(
            [
                words(
                    (40, 20, "Broadgun Software"),
                    (300, 40, "Invoice Number:   245625"),
                    (300, 55, "Total Due:   €59,50"),
                    (40, 80, "Description"),
                    (160, 80, "Unit Price"),
                    (400, 80, "Sub Total"),
                    (40, 95, "Rock"),
                    (160, 95, "€5,00"),
                    (400, 95, "€25,00"),
                    (40, 110, "River Pebble"),
                    (160, 110, "€5,00"),
                    (400, 110, "€25,00"),
                    (300, 125, "VAT"),
                    (400, 125, "€9,50"),
                    (300, 140, "TOTAL"),
                    (400, 140, "€59,50"),
                )
            ]
        )
    )
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
        Decimal("50.00"),
        Decimal("9.50"),
        Decimal("59.50"),
    )


def zero_vat(titles: str):
    invoice = extract_from_text(
        [
            "Facture N° F20260030\n"
            + titles
            + "\n100,00   0,00   100,00\nMontant déjà payé :   10,00"
            + "\nDate d'échéance : 02/03/2026   NET A PAYER   90,00 EUR"
        ]
    )
    return invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total


def test_a_row_without_vat_under_the_totals_titles_gives_the_totals_not_the_amount_left_to_pay():
    assert zero_vat("TOTAL HT   TETE   TOTAL TIC") == (Decimal("100.00"), Decimal("0.00"), Decimal("100.00"))


def test_a_row_with_a_zero_between_two_equal_amounts_is_no_totals_row_without_titles_above():
    assert zero_vat("Remarques   diverses") == (None, None, Decimal("90.00"))
