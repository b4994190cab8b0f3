"""The seller's name on OCR words: what a scan adds to a page (a logo read as letters, a box's edge,
a bank block's heading) is never taken for the name."""

from __future__ import annotations

from invoice_import.engine.freeform import extract_from_layout
from invoice_import.engine.layout import Layout

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
