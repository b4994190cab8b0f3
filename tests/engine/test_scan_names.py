"""The seller's name on OCR words: what a scan adds to a page (a logo read as letters, a box's edge,
a bank block's heading, letters OCR itself doubts) is never taken for the name; a logo's word is
the name the page prints it as."""

from __future__ import annotations

import dataclasses

from invoice_import.engine.freeform import extract_from_layout
from invoice_import.engine.freeform.parties import _company_names
from invoice_import.engine.layout import Layout, Word

from .test_layout_reader import words


def seller(*rows) -> str | None:
    return extract_from_layout(Layout([words(*rows)])).supplier.name


def test_a_logo_read_as_scraps_of_letters_is_not_the_seller():
    remarks = [(40, 120 + 20 * row, f"Hinweis {row}") for row in range(14)]
    name = seller(
        (40, 40, "Fe R D ="),
        (40, 80, "Rechnung Nr. 4711"),
        *remarks,
        (40, 700, "Lindner Feinkost GmbH"),
        (300, 700, "Sitz: Ulm"),
    )
    assert name == "Lindner Feinkost GmbH"


def test_a_role_heading_alone_in_its_cell_names_the_company_under_it_not_the_logo_beside_it():
    name = seller(
        (40, 40, "Rechnungsersteller"),
        (400, 40, "Fe RD one"),
        (40, 55, "Hansen Nord GmbH"),
        (40, 70, "Hafenstraße 3"),
        (300, 100, "Rechnung Nr. 4711"),
    )
    assert name == "Hansen Nord GmbH"


def test_a_bank_blocks_heading_beside_the_seller_label_is_a_label_not_a_name():
    name = seller(
        (40, 40, "Atelier Durand"),
        (300, 80, "Facture N° F2024-7"),
        (40, 700, "Vendeur"),
        (300, 700, "Compte"),
        (40, 715, "IBAN : FR76 3000 6000 0112 3456 7890 189"),
    )
    assert name == "Atelier Durand"


def test_a_box_edge_read_as_a_bracket_does_not_make_an_address_a_name():
    name = seller(
        (40, 20, "Atelier Durand"),
        (40, 40, "Vendeur"),
        (40, 55, "[12 rue Haute"),
        (40, 70, "75018 Paris"),
        (300, 100, "Facture N° F2024-7"),
    )
    assert name == "Atelier Durand"


def test_a_brace_read_at_the_edge_of_the_letterhead_is_not_part_of_the_name():
    name = seller(
        (40, 20, "} Atelier Durand"),
        (300, 100, "Facture N° F2024-7"),
    )
    assert name == "Atelier Durand"


# ----------------------------------------------------------------------------- OCR's own doubt


def doubted(found: list[Word], *texts: str, confidence: float = 0.2) -> list[Word]:
    """The words, those spelled ``texts`` with the low confidence tesseract gives the letters it makes of a logo."""
    return [dataclasses.replace(w, confidence=confidence) if w.text in texts else w for w in found]


def seller_of(found: list[Word]) -> str | None:
    return extract_from_layout(Layout([found])).supplier.name


REMARKS = [(40, 120 + 20 * row, f"Position {row} Beratung") for row in range(14)]


def test_letters_ocr_doubts_over_a_legal_form_are_not_the_seller_the_signature_line_names_it():
    rows = words(
        (40, 20, "Tax Invoice"),
        (400, 40, "Wigds"),
        (400, 55, "as"),
        (40, 90, "Invoice No. 4711"),
        *REMARKS,
        (40, 700, "for Nordlicht Web Services Pvt Ltd"),
        (40, 720, "Authorised Signatory"),
    )
    assert seller_of(doubted(rows, "Wigds", "as")) == "Nordlicht Web Services Pvt Ltd"


def test_the_same_letters_read_with_confidence_are_a_name():
    rows = words((40, 20, "Tax Invoice"), (400, 40, "Wigds"), (400, 55, "AS"), (40, 90, "Invoice No. 4711"))
    assert seller_of(rows) == "Wigds AS"


def test_a_letterhead_ocr_read_as_doubtful_scraps_names_nobody():
    rows = words((40, 20, "OE ODO ON OOAD"), (40, 60, "Facture FA-2017-0010"), (40, 80, "Total TTC 671,15"))
    assert seller_of(doubted(rows, "OE", "ODO", "OOAD", confidence=0.1)) is None


def test_a_logos_word_is_the_name_the_page_prints_it_as():
    rows = words(
        (40, 20, "ostara LW"),
        (40, 60, "Facture N° 11608848"),
        (40, 80, "Vos services Ostara Mobile"),
        (400, 80, "10,83"),
        *REMARKS,
        (40, 700, "Adresse : Ostara Mobile - Service Client"),
    )
    assert seller_of(doubted(rows, "LW")) == "Ostara Mobile"


def test_a_logos_word_followed_by_a_stray_lower_case_letter_is_still_the_logos_word():
    rows = words(
        (40, 20, "ostara è g"),
        (40, 60, "Facture N° 11608848"),
        (40, 80, "Vos services Ostara Mobile"),
        (400, 80, "10,83"),
        *REMARKS,
        (40, 700, "Adresse : Ostara Mobile - Service Client"),
    )
    assert seller_of(doubted(rows, "è", confidence=0.4)) == "Ostara Mobile"


def test_a_logos_word_the_page_prints_once_is_not_made_a_name():
    rows = words(
        (40, 20, "ostara LW"), (40, 60, "Facture N° 11608848"), *REMARKS, (40, 700, "Vos services Ostara Mobile")
    )
    assert seller_of(doubted(rows, "LW")) is None


def test_the_words_of_a_sentence_before_a_company_name_are_not_part_of_it():
    assert _company_names("for Nordlicht Web Services Pvt Ltd") == [(4, "Nordlicht Web Services Pvt Ltd")]
    assert _company_names("geliefert durch Hansen Nord GmbH")[0][1] == "Hansen Nord GmbH"
    assert _company_names("Bakkerij van Dijk B.V.") == [(0, "Bakkerij van Dijk B.V.")]


def test_a_letterhead_name_made_of_a_label_word_is_the_seller_when_its_mail_domain_spells_it():
    rows = words(
        (40, 20, "FOURNISSEUR F"),
        (40, 40, "Issy les Moulineaux, le 31 octobre 2017"),
        (40, 60, "CLIENT 1"),
        *REMARKS,
        (40, 700, "Contact : martin@fournisseurf. fr"),
    )
    assert seller_of(rows) == "FOURNISSEUR F"


def test_a_letterhead_label_word_no_domain_spells_is_still_a_heading():
    rows = words((40, 20, "FOURNISSEUR F"), (40, 60, "CLIENT 1"), *REMARKS, (40, 700, "Contact : martin@example. fr"))
    assert seller_of(rows) != "FOURNISSEUR F"


def test_a_name_whose_legal_form_ocr_misread_once_is_the_well_formed_reading():
    rows = words(
        (40, 20, "Acme lta."),
        (40, 40, "Acme Ltd. ¢ 42 Milky Way * 1234-1234 Faraway"),
        (40, 60, "Globex Corp."),
        (40, 75, "142 Scorpio Drive"),
        (40, 110, "Invoice No. 1234567890"),
        *REMARKS,
    )
    assert seller_of(doubted(rows, "lta.", confidence=0.67)) == "Acme Ltd."


def test_of_two_names_as_strong_the_one_the_page_prints_again_is_the_sellers():
    rows = words(
        (40, 20, "FACTURE N° : F20260027"),
        (40, 40, "LOGO LE FOURNISSEUR"),
        (40, 60, "[SELLER TRADE NAME"),
        (300, 60, "CLIENT :"),
        (40, 75, "LE FOURNISSEUR"),
        (300, 75, "LE CLIENT"),
        (40, 90, "35 rue d'ici"),
        (300, 90, "58 rue de la mer"),
        *REMARKS,
        (40, 700, "Bénéficiaire"),
        (40, 715, "NOM : LE FOURNISSEUR"),
    )
    assert seller_of(rows) == "LE FOURNISSEUR"
