"""OCR confusions repaired only where the repaired value is validated: totals that then add up, or words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from invoice_import.engine.freeform import extract_from_layout, extract_from_text
from invoice_import.engine.freeform.words import amounts_in_words
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


# ----------------------------------------------------------------------------- digits OCR misread in the totals


def read_totals(text: str):
    invoice = extract_from_text([text])
    return invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total


def test_a_total_whose_decimal_comma_ocr_lost_is_the_sum_of_untaxed_and_tax():
    text = "Facture N° F2024-17\nTotal HT   1 028,80 €\nTVA 20 %   205,76 €\nTotal TTC   123456 €"
    assert read_totals(text) == (Decimal("1028.80"), Decimal("205.76"), Decimal("1234.56"))


def test_a_currency_sign_read_as_a_digit_before_the_total_is_dropped_when_the_sum_says_so():
    """ "₹135.01" read as "2135.01": the extra leading digit is the sign, untaxed + tax give the rest."""
    text = "Invoice # INV-000007\nSub Total   128.59\nTax 5%   6.42\nTotal   2135.01\nBalance Due   2135.01"
    assert read_totals(text) == (Decimal("128.59"), Decimal("6.42"), Decimal("135.01"))


def test_misread_digits_that_are_not_the_sum_are_left_as_printed():
    invoice = extract_from_text(["Invoice # INV-000007\nSub Total   128.59\nTax 5%   6.42\nTotal   2136.01"])
    assert invoice.amount_total != Decimal("136.01")
    # 2136,01 is no misreading of 135,01: at most the sum is derived, and flagged for a person to check
    assert invoice.amount_total == Decimal("2136.01") or invoice.confidence["amount_total"] < 0.6


def test_a_tax_whose_decimal_mark_ocr_lost_is_total_less_untaxed():
    text = "Rechnung Nr. 4711\nNettobetrag   1.000,00 EUR\nMwSt 19 %   19000 EUR\nGesamtbetrag   1.190,00 EUR"
    assert read_totals(text) == (Decimal("1000.00"), Decimal("190.00"), Decimal("1190.00"))


def test_currency_written_in_words_when_ocr_lost_the_sign():
    invoice = extract_from_text(
        ["Invoice # 2024-17\nTotal   135.01\nTotal in words: Indian Rupees One Hundred Thirty-Five"]
    )
    assert invoice.currency == "INR"
    invoice = extract_from_text(["Rechnung Nr. 4711\nGesamtbetrag   119,00\nAlle Beträge in Euro"])
    assert invoice.currency == "EUR"


def test_a_printed_currency_code_beats_currency_words():
    invoice = extract_from_text(["Invoice 2024-17\nTotal   135.01 GBP\nPrices converted from euros"])
    assert invoice.currency == "GBP"


# ----------------------------------------------------------------------------- due dates OCR misread


def due(text: str):
    invoice = extract_from_text([text])
    return invoice.issue_date, invoice.due_date


def test_a_due_date_one_misread_digit_off_the_terms_is_the_date_the_terms_give():
    issue, due_date = due("Facture N° F2017-3\nDate : 03/11/2017\nÉchéance : 09/12/2017\nPaiement à 30 jours")
    assert (issue.isoformat(), due_date.isoformat()) == ("2017-11-03", "2017-12-03")


def test_a_due_date_that_differs_from_the_terms_by_more_than_a_digit_stays_as_printed():
    issue, due_date = due("Facture N° F2017-3\nDate : 03/11/2017\nÉchéance : 15/12/2017\nPaiement à 30 jours")
    assert due_date.isoformat() == "2017-12-15"


def test_a_due_date_off_by_digits_ocr_does_not_confuse_stays_as_printed():
    # 4 and 3 do not look alike: the printed date is another date, not the terms' one misread
    issue, due_date = due("Facture N° F2017-3\nDate : 03/11/2017\nÉchéance : 04/12/2017\nPaiement à 30 jours")
    assert due_date.isoformat() == "2017-12-04"


# ----------------------------------------------------------------------------- the printed tax rate as a referee


def test_the_tax_is_never_the_whole_total_and_the_printed_rate_picks_the_tax():
    """Every amount after "TVA" is a tax candidate; the one that is the untaxed amount at 20 % wins."""
    untaxed, tax, total = read_totals(
        "Facture N° 116088\nMontant de la facture soumis à TVA   10,83   12,99\n"
        "TVA 20,00 % payée sur les débits   2,17\nMontant total   12,99"
    )
    assert (tax, total) == (Decimal("2.17"), Decimal("12.99"))
    assert untaxed == Decimal("10.82")  # derived: the printed 10,83 carries no label here


def test_a_tax_at_the_printed_rate_beats_another_labelled_amount():
    untaxed, tax, total = read_totals(
        "Rechnung Nr. 4711\nNettobetrag   200,00\nMwSt 19 %   38,00\nMwSt   12,00\nGesamtbetrag   238,00"
    )
    assert (untaxed, tax, total) == (Decimal("200.00"), Decimal("38.00"), Decimal("238.00"))


def test_letters_ocr_read_for_digits_in_a_total_are_digits_when_the_sum_confirms_them():
    invoice = extract_from_text(["Facture N° F2024-17\nTotal HT   100,00 €\nTVA 20 %   20,50 €\nTotal TTC   l2O,5O €"])
    assert invoice.amount_total == Decimal("120.50")
    assert invoice.confidence["amount_total"] > 0.8  # read on the page, not only derived


def test_the_vat_breakdown_row_of_one_rate_gives_untaxed_and_tax_when_the_totals_row_is_unreadable():
    """The shaded totals cells read as "eg  Wh  ee": the breakdown row's base x rate = tax still reads."""
    invoice = extract_from_text(
        [
            "Facture N° F20180027\nDétail TVA   Code   Taux   Base TVA   Montant TVA\nS   10,00%   100,00   10,00\n"
            "TOTAL HT   TOTAL TVA   TOTAL TTC\neg   Wh   ee\nAcompte :   10,00\nNET A PAYER   100,00 EUR"
        ]
    )
    assert (invoice.amount_untaxed, invoice.amount_tax) == (Decimal("100.00"), Decimal("10.00"))


def test_rows_of_several_rates_are_parts_and_say_nothing_alone():
    invoice = extract_from_text(
        [
            "Facture N° F2018-3\nTaux   Base   Montant TVA\n20,00%   100,00   20,00\n10,00%   50,00   5,00\n"
            "Total TTC   175,00"
        ]
    )
    assert invoice.amount_untaxed != Decimal("100.00")


def test_the_sum_of_untaxed_and_tax_printed_away_from_its_label_is_the_total():
    """The scan broke the totals row: "120,00" landed lines below its title, the payable amount follows a deposit."""
    invoice = extract_from_layout(
        Layout(
            [
                words(
                    (40, 20, "Facture N° F20260025"),
                    (300, 100, "TOTAL HT"),
                    (400, 100, "TOTAL TVA"),
                    (500, 100, "TOTAL TTC"),
                    (300, 115, "100,00"),
                    (400, 115, "20,00"),
                    (40, 130, "Indemnité forfaitaire de 40 €"),
                    (40, 145, "pour frais de recouvrement"),
                    (520, 160, "120,00"),
                    (380, 175, "Montant déjà payé :"),
                    (520, 175, "20,00"),
                    (380, 190, "NET A PAYER"),
                    (500, 190, "100,00 EUR"),
                )
            ]
        )
    )
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
        Decimal("100.00"),
        Decimal("20.00"),
        Decimal("120.00"),
    )


# ----------------------------------------------------------------------------- a VAT number OCR lost


def test_a_french_vat_number_ocr_lost_is_built_from_the_checked_siren_and_flagged():
    invoice = extract_from_text(
        [
            "Au bon moulin\n- SIRET : 99999999800010 - APE : 4778C - SARL au capital de 120 000,00 €\n"
            "Facture N° F2017-3\nTotal TTC   530,75 €"
        ]
    )
    assert invoice.supplier.vat == "FR11999999998"
    assert invoice.confidence["supplier.vat"] < 0.6  # computed, not read: a person confirms it


def test_a_printed_vat_number_is_kept_over_the_one_the_siren_gives():
    invoice = extract_from_text(
        ["Au bon moulin\nSIREN : 999 999 998\nN° TVA : FR 32 123 456 789\nFacture N° F2017-3\nTotal TTC   530,75 €"]
    )
    assert invoice.supplier.vat == "FR32123456789"


def test_no_vat_number_is_built_from_a_siren_whose_check_digit_fails():
    invoice = extract_from_text(["Au bon moulin\nSIREN : 999 999 997\nFacture N° F2017-3\nTotal TTC   530,75 €"])
    assert invoice.supplier.vat is None


def test_untaxed_plus_tax_is_the_total_when_the_amount_due_plus_the_deposit_make_it():
    """The totals row is unreadable; "Acompte 10,00" and "NET A PAYER 100,00" say the total was 110,00."""
    invoice = extract_from_text(
        [
            "Facture N° F20180027\nDétail TVA   Code   Taux   Base TVA   Montant TVA\nS   10,00%   100,00   10,00\n"
            "TOTAL HT   TOTAL TVA   TOTAL TTC\neg   Wh   ee\nAcompte :   10,00\nNET A PAYER   100,00 EUR"
        ]
    )
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
        Decimal("100.00"),
        Decimal("10.00"),
        Decimal("110.00"),
    )


def test_an_amount_due_that_a_deposit_does_not_explain_stays_the_total():
    invoice = extract_from_text(
        [
            "Facture N° F20180027\nDétail TVA   Code   Taux   Base TVA   Montant TVA\nS   10,00%   100,00   10,00\n"
            "TOTAL HT   TOTAL TVA   TOTAL TTC\neg   Wh   ee\nAcompte :   5,00\nNET A PAYER   100,00 EUR"
        ]
    )
    assert invoice.amount_total == Decimal("100.00")


def test_a_base_printed_with_its_rate_is_the_untaxed_amount_of_the_tax_it_makes():
    """Unit amounts rounded: 10,83 + 2,17 is 13,00 for a total of 12,99, the base at 20 % gives the tax to the cent."""
    untaxed, tax, total = read_totals(
        "Facture N° 116088\nMontant de la facture soumis à TVA   10,83   12,99\n"
        "TVA 20,00 % payée sur les débits   2,17\nMontant hors TVA soumis à une TVA à 20,00 %   10,83\n"
        "Montant total   12,99"
    )
    assert (untaxed, tax, total) == (Decimal("10.83"), Decimal("2.17"), Decimal("12.99"))


def test_letters_ocr_read_for_digits_in_a_date_are_digits_when_the_date_then_exists():
    assert due("Facture N° F2017-3\nDate : 03/11/2017\nÉchéance : 3O/12/2017")[1].isoformat() == "2017-12-30"
    assert due("Facture N° F2017-3\nDate : 03/11/2017\nÉchéance : O3.l2.2017")[1].isoformat() == "2017-12-03"
    assert due("Facture N° F2017-3\nDate : 03/11/2017\nÉchéance : 3O/13/2017")[1] is None  # no 13th month


def test_a_tax_as_large_as_the_untaxed_amount_it_would_leave_is_no_tax():
    """OCR lost the VAT line: the base after "TVA" is no tax, and 13,50 - 10,83 = 2,67 no untaxed amount."""
    untaxed, tax, total = read_totals(
        "Facture N° 116088\nMontant hors TVA soumis à une TVA à 20,00 %   10,83\nMontant total   13,50"
    )
    assert (untaxed, tax, total) == (None, None, Decimal("13.50"))


def test_a_base_and_its_rate_give_the_tax_ocr_lost_when_they_make_the_labelled_total():
    """10,83 at 20 % is 2,17 and 13,00: the total 12,99 (rounded units) confirms base and rate to the cent."""
    untaxed, tax, total = read_totals(
        "Facture N° 116088\nMontant hors TVA soumis à une TVA à 20,00 %   10,83\nMontant total   12,99"
    )
    assert (untaxed, tax, total) == (Decimal("10.83"), Decimal("2.17"), Decimal("12.99"))


# ----------------------------------------------------------------------------- the total written in words


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Total In Words Indian Rupee One Hundred Thirty-Five and One Paise Only", "135.01"),
        ("Rupees Twelve Thousand Five Hundred Only", "12500"),
        ("Amount chargeable (in words): INR Two Lakh Thirty Thousand and Paise Fifty Only", "230000.50"),
        ("Nineteen Thousand Nine Hundred Ninety-Nine Dollars and 99 cents", "19999.99"),
        ("One hundred and five pounds", "105"),
    ],
)
def test_amounts_written_in_words_are_read_with_their_hundredths(text, value):
    assert amounts_in_words(text) == [Decimal(value)]


def test_a_single_number_word_in_a_sentence_is_no_amount():
    assert amounts_in_words("Payment within thirty days, one copy for your records") == []


def gst_invoice(total_row: str, in_words: str):
    """An Indian GST invoice as OCR words: no untaxed total printed, two half-rate taxes, the total in words."""
    return extract_from_layout(
        Layout(
            [
                words(
                    (40, 40, "Prerna Tax Services"),
                    (400, 40, "TAX INVOICE"),
                    (40, 80, "Invoice#   INV-000007"),
                    (300, 200, "CGST (2.5%)   3.21"),
                    (300, 215, "SGST (2.5%)   3.21"),
                    (300, 230, total_row),
                    (300, 245, "Balance Due   2135.01"),
                    (40, 270, "Total In Words: " + in_words),
                )
            ]
        )
    )


def test_a_currency_sign_read_as_a_digit_before_the_total_is_dropped_when_the_words_say_so():
    """ "₹135.01" read as "2135.01" twice, no untaxed total to add up: the amount in words referees."""
    invoice = gst_invoice("Total   2135.01", "Indian Rupee One Hundred Thirty-Five and One Paise Only")
    assert invoice.amount_total == Decimal("135.01")


def test_words_for_another_amount_leave_the_printed_total_as_read():
    invoice = gst_invoice("Total   2135.01", "Indian Rupee One Hundred Thirty-Six and One Paise Only")
    assert invoice.amount_total == Decimal("2135.01")


def test_the_tax_written_in_words_is_no_total():
    """Tally prints the tax in words under its tax table: words that repeat a printed figure confirm nothing."""
    invoice = extract_from_text(
        [
            "Invoice No. 2024-17\nTotal   = 81,576.68\nAmount Chargeable (in words)   E&OE\n"
            "HSN/SAC   Taxable   Integrated Tax   Total\nValue   Rate   Amount   Tax Amount\n"
            "Total   69,132.78   12,443.90   12,443.90\n"
            "Tax Amount (in words):   INR Twelve Thousand Four Hundred Forty Three and Ninety paise Only"
        ]
    )
    assert invoice.amount_total == Decimal("81576.68")


# ----------------------------------------------------------------------------- the item lines as a referee


def french_invoice(untaxed_row: str):
    """A scanned French invoice as OCR words: three item rows that multiply out, then the totals block."""
    return extract_from_layout(
        Layout(
            [
                words(
                    (40, 20, "Au bon moulin SARL"),
                    (40, 40, "Facture FA-2017-0009"),
                    (40, 100, "Description"),
                    (250, 100, "Quantité"),
                    (330, 100, "Prix unitaire"),
                    (450, 100, "Prix HT"),
                    (40, 115, "Nougat 250g"),
                    (250, 115, "45"),
                    (330, 115, "4,55 €"),
                    (450, 115, "204,75 €"),
                    (40, 130, "Biscuits 300g"),
                    (250, 130, "40"),
                    (330, 130, "3,20 €"),
                    (450, 130, "128,00 €"),
                    (40, 145, "Huile d'olive"),
                    (250, 145, "10"),
                    (330, 145, "19,80 €"),
                    (450, 145, "198,00 €"),
                    (330, 175, untaxed_row),
                    (330, 190, "Total taxes   0,00 €"),
                )
            ]
        )
    )


def test_an_untaxed_total_whose_decimal_comma_ocr_lost_is_the_sum_of_the_item_lines():
    invoice = french_invoice("Total HT   53075€")
    assert sum(line.amount for line in invoice.lines) == Decimal("530.75")
    assert (invoice.amount_untaxed, invoice.amount_total) == (Decimal("530.75"), Decimal("530.75"))


def test_an_untaxed_total_that_is_not_the_lines_misread_stays_as_printed():
    invoice = french_invoice("Total HT   53175€")
    assert invoice.amount_untaxed == Decimal("53175")


# ----------------------------------------------------------------------------- a VAT number OCR misread

VAT_PAGE = "Muster Handel GmbH\nUSt-IdNr.: {}\nRechnung Nr. 4711\nGesamtbetrag 119,00 EUR"


def test_a_letter_ocr_read_for_a_digit_of_a_vat_number_is_the_digit_its_check_confirms():
    # "B" may be an 8 or a 3: only the 3 makes the check digit right
    invoice = extract_from_text([VAT_PAGE.format("DE1B6695976")])
    assert invoice.supplier.vat == "DE136695976"


def test_a_vat_number_two_of_whose_readings_pass_the_check_is_not_guessed():
    # "SS": 55 and 88 both make the check digit right, so the page does not say which was printed
    invoice = extract_from_text([VAT_PAGE.format("DE528344SS2")])
    assert invoice.supplier.vat not in ("DE528344552", "DE528344882")
