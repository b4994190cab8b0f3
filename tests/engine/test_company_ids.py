"""Company registration numbers checked with python-stdnum, as evidence for the seller's VAT number.

A SIREN, SIRET, ABN, ACN, UEN or GSTIN has check digits; a KvK number, a
Handelsregister entry or a Steuernummer has none (their shape and label are
all there is).  A seller's VAT number built on a company number printed in
the seller's details, whose check digits hold, is surer the seller's.
"""

import pytest

from invoice_import.engine.freeform import extract_from_text
from invoice_import.engine.freeform.taxids import company_id, holds_company_id


@pytest.mark.parametrize(
    "label, text, expected",
    [
        ("SIREN", "123 456 782", ("SIREN", "123456782", True)),
        ("SIREN", "123 456 789", ("SIREN", "123456789", False)),
        ("SIRET", ": 732 829 320 00074", ("SIRET", "73282932000074", True)),
        ("N° SIRET", "732 829 320 00075", ("SIRET", "73282932000075", False)),
        ("ABN", "51 824 753 556", ("ABN", "51824753556", True)),
        ("ACN", "004 085 616", ("ACN", "004085616", True)),
        ("UEN", "197401143C", ("UEN", "197401143C", True)),
        ("GSTIN", "27AAPFU0939F1ZV", ("GSTIN", "27AAPFU0939F1ZV", True)),
        ("GSTIN", "27AAPFU0939F1ZX", ("GSTIN", "27AAPFU0939F1ZX", False)),
        ("KvK", "nr. 12345678", ("KvK", "12345678", None)),  # no check digit exists for a KvK number
        ("Steuernummer", "143/255/50432", ("StNr", "14325550432", None)),
        ("SIREN", "RCS Paris", None),
    ],
)
def test_company_ids_are_checked_where_the_scheme_has_check_digits(label, text, expected):
    assert company_id(label, text) == expected


def test_a_vat_number_holds_the_siren_or_the_abn():
    assert holds_company_id("FR11123456782", "SIREN", "123456782")
    assert holds_company_id("FR11123456782", "SIRET", "12345678200077")
    assert not holds_company_id("FR05987654321", "SIREN", "123456782")
    assert holds_company_id("51824753556", "ACN", "824753556")


def test_the_sellers_siren_settles_which_vat_number_is_the_sellers():
    """Two VAT numbers printed without a label: the one that holds the seller's checked SIREN is the seller's."""
    page = (
        "ACME Industrie SARL\n"
        "12 rue des Forges, 75001 Paris\n"
        "SIREN 123 456 782\n"
        "Facture N° F-2024-17   Date 05/03/2024\n"
        "Référence marché FR 05 987 654 321\n"
        "Total HT 100,00\nTVA 20,00\nTotal TTC 120,00\n"
        "Identifiant FR 11 123 456 782\n"
    )
    invoice = extract_from_text([page])
    assert invoice.supplier.vat == "FR11123456782"
    assert invoice.confidence["supplier.vat"] > 0.5
    without = extract_from_text([page.replace("SIREN 123 456 782", "Paris")])
    assert without.supplier.vat != "FR11123456782" or without.confidence["supplier.vat"] < 0.5
