"""The labels invoicing software prints in the six languages, read through the template-free extractor.

Each page is drawn with wording other than the usual "Invoice number" /
"Rechnungsnummer": abbreviations ("Rg.-Nr."), the other common spellings
of the EN 16931 terms ("Fälligkeitstag", "Date limite de règlement") and
a date of another event (shipping, supply) printed above the invoice
date, which must not be taken for it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from .test_freeform import extract

D = Decimal

PAGES = {
    "en": [
        "Harbourside Tools Ltd",
        "4 Quay Lane, Bristol BS1 5AA",
        ("Bill to:", "Tax invoice number: TI-5521"),
        ("Fenwick Builders plc", "Date of supply: 10 March 2024"),
        ("2 Mill Road, York YO1 7AB", "Bill date: 14 March 2024"),
        ("", "Payment due by: 13 April 2024"),
        ("Description", "Qty", "Unit price", "Amount"),
        ("Cordless drill", "2", "150.00", "300.00"),
        ("", "", "Net value", "300.00"),
        ("", "", "Total VAT amount", "60.00"),
        ("", "", "Invoice amount", "£360.00"),
    ],
    "de": [
        "Elektro Sommer GmbH · Ringstraße 9 · 50667 Köln",
        "Baufirma Winter KG",
        "Am Markt 3",
        "53111 Bonn",
        ("", "Rg.-Nr.: 2024-117"),
        ("", "Liefertermin: 05.02.2024"),
        ("", "Rg.-Datum: 12.02.2024"),
        ("", "Fälligkeitstag: 26.02.2024"),
        "Rechnung",
        ("Pos Menge Bezeichnung", "", "Einzelpreis", "Gesamt"),
        ("1 4 Kabeltrommel", "", "50,00", "200,00"),
        ("", "", "Netto-Betrag", "200,00"),
        ("", "", "MwSt.-Summe", "38,00"),
        ("", "", "Zahlungsbetrag", "238,00 EUR"),
    ],
    "fr": [
        "Menuiserie Lambert SARL - 8 rue des Chênes - 44000 Nantes",
        ("Facturé à :", "Numéro facture : FA-2291"),
        ("Garage Martin", "Date d'expédition : 1 avril 2024"),
        ("", "Date de la facture : 3 avril 2024"),
        ("", "Date limite de règlement : 3 mai 2024"),
        ("Désignation", "Quantité", "Prix unitaire", "Montant"),
        ("Étagère chêne", "2", "250,00", "500,00"),
        ("", "", "Total hors TVA", "500,00 €"),
        ("", "", "Montant total TVA", "100,00 €"),
        ("", "", "Montant net à payer", "600,00 €"),
    ],
    "nl": [
        "Drukkerij Visser B.V.",
        "Havenweg 7, 3011 AB Rotterdam",
        ("Aan: Boekhandel De Linde", "Nummer factuur: 2024-0042"),
        ("", "Afleverdatum: 10-01-2024"),
        ("", "Uitgiftedatum: 15-01-2024"),
        ("", "Te voldoen voor: 14-02-2024"),
        ("Omschrijving", "Aantal", "Prijs", "Bedrag"),
        ("Folders", "100", "1,00", "100,00"),
        ("", "", "Netto totaal", "€ 100,00"),
        ("", "", "Btw totaal", "€ 21,00"),
        ("", "", "Factuurtotaal", "€ 121,00"),
    ],
    "es": [
        "Suministros Ortega S.L.",
        "Calle Mayor 12, 28013 Madrid",
        ("Cliente:", "N° de factura: A-1187"),
        ("Talleres Ruiz S.A.", "Fecha de operación: 10/03/2024"),
        ("", "Fecha de la factura: 15/03/2024"),
        ("", "Fecha vto: 14/04/2024"),
        ("Descripción", "Cantidad", "Precio unitario", "Importe"),
        ("Tornillos", "10", "20,00", "200,00"),
        ("", "", "Total sin IVA", "200,00 €"),
        ("", "", "Cuota de IVA", "42,00 €"),
        ("", "", "Importe a pagar", "242,00 €"),
    ],
    "it": [
        "Ferramenta Bianchi S.r.l.",
        "Via Roma 5, 20121 Milano",
        ("Spett.le", "Fattura numero: 118/2024"),
        ("Officina Rossi S.n.c.", "Data di spedizione: 12/03/2024"),
        ("", "Data emissione fattura: 15/03/2024"),
        ("", "Da pagare entro il: 14/04/2024"),
        ("Descrizione", "Quantità", "Prezzo unitario", "Importo"),
        ("Chiavi inglesi", "5", "40,00", "200,00"),
        ("", "", "Totale senza IVA", "200,00 €"),
        ("", "", "IVA totale", "44,00 €"),
        ("", "", "Totale a pagare", "244,00 €"),
    ],
}

EXPECTED = {
    "en": ("TI-5521", dt.date(2024, 3, 14), dt.date(2024, 4, 13), ("300.00", "60.00", "360.00")),
    "de": ("2024-117", dt.date(2024, 2, 12), dt.date(2024, 2, 26), ("200.00", "38.00", "238.00")),
    "fr": ("FA-2291", dt.date(2024, 4, 3), dt.date(2024, 5, 3), ("500.00", "100.00", "600.00")),
    "nl": ("2024-0042", dt.date(2024, 1, 15), dt.date(2024, 2, 14), ("100.00", "21.00", "121.00")),
    "es": ("A-1187", dt.date(2024, 3, 15), dt.date(2024, 4, 14), ("200.00", "42.00", "242.00")),
    "it": ("118/2024", dt.date(2024, 3, 15), dt.date(2024, 4, 14), ("200.00", "44.00", "244.00")),
}


@pytest.mark.parametrize("language", sorted(PAGES))
def test_common_label_variants_are_read_and_another_events_date_is_not_the_invoice_date(language):
    assert_read(PAGES[language], EXPECTED[language])


def assert_read(rows, expected):
    number, issued, due, amounts = expected
    invoice = extract(rows)
    assert invoice.invoice_number == number
    assert invoice.issue_date == issued
    assert invoice.due_date == due
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == tuple(D(a) for a in amounts)


# Abbreviated labels ("Nº Fra.", "Rg.-Datum") under the labels of another number and of another event's date
ABBREVIATED = {
    "de": (
        [
            "Sommer Elektro GmbH",
            "Baufirma Winter KG",
            ("", "Kunden-Nummer: 40023"),
            ("", "Rechnungszeitraum: 01.01.2024"),
            ("", "Rechnung Nummer: 2024-118"),
            ("", "Rg.-Datum: 05.02.2024"),
            ("", "", "Netto-Betrag", "100,00"),
            ("", "", "MwSt.-Summe", "19,00"),
            ("", "", "Zahlungsbetrag", "119,00 EUR"),
        ],
        ("2024-118", dt.date(2024, 2, 5), None, ("100.00", "19.00", "119.00")),
    ),
    "en": (
        [
            "Harbourside Tools Ltd",
            ("", "Client number: 88231"),
            ("", "Date ordered: 2 March 2024"),
            ("", "Receipt no: R-1102"),
            ("", "Inv. date: 5 March 2024"),
            ("", "Payable on: 20 March 2024"),
            ("", "", "Untaxed amount", "100.00"),
            ("", "", "Total VAT amount", "20.00"),
            ("", "", "Amount to pay", "£120.00"),
        ],
        ("R-1102", dt.date(2024, 3, 5), dt.date(2024, 3, 20), ("100.00", "20.00", "120.00")),
    ),
    "es": (
        [
            "Suministros Ortega S.L.",
            ("", "Código de cliente: 7781"),
            ("", "Fecha del pedido: 01/03/2024"),
            ("", "Nº Fra.: A-2291"),
            ("", "Fecha fra.: 05/03/2024"),
            ("", "Fecha vto: 05/04/2024"),
            ("", "", "Total sin IVA", "100,00 €"),
            ("", "", "Cuota de IVA", "21,00 €"),
            ("", "", "Importe a pagar", "121,00 €"),
        ],
        ("A-2291", dt.date(2024, 3, 5), dt.date(2024, 4, 5), ("100.00", "21.00", "121.00")),
    ),
}


@pytest.mark.parametrize("language", sorted(ABBREVIATED))
def test_abbreviated_labels_are_read_below_another_numbers_and_another_events_labels(language):
    assert_read(*ABBREVIATED[language])


# Compound labels the vocabulary spells whole, printed in two parts with a hyphen
HYPHENATED = [
    "Tischlerei Brandt GmbH",
    "Baufirma Winter KG",
    ("", "Rechnungs-Nummer: 2024-301"),
    ("", "Rechnungs-Datum: 04.03.2024"),
    ("", "Fälligkeits-Datum: 18.03.2024"),
    ("Pos Menge Bezeichnung", "", "Einzelpreis", "Gesamt"),
    ("1 2 Regalbrett", "", "50,00", "100,00"),
    ("", "", "Netto-Betrag", "100,00"),
    ("", "", "MwSt.-Summe", "19,00"),
    ("", "", "Rechnungs-Betrag", "119,00 EUR"),
]


def test_compound_labels_printed_in_two_parts_are_the_compounds():
    assert_read(HYPHENATED, ("2024-301", dt.date(2024, 3, 4), dt.date(2024, 3, 18), ("100.00", "19.00", "119.00")))


# An order word printed as the value of a party's label names the buyer (or its number), not an order
PARTY_VALUE_TOP = ["Harbourside Tools Ltd", "4 Quay Lane, Exeter"]
PARTY_VALUE_TOTALS = [("", "", "Subtotal", "100.00"), ("", "", "VAT 20%", "20.00"), ("", "", "Total due", "120.00")]


@pytest.mark.parametrize(
    ("party_row", "expected"),
    [
        (("Customer: Order 7788", "Invoice No: HT-2024-31"), None),
        (("Kunde: Bestellung 7788", "Invoice No: HT-2024-31"), None),
        (("Client : Commande 7788", "Invoice No: HT-2024-31"), None),
        (("Customer order 7788", "Invoice No: HT-2024-31"), "7788"),
        (("Your reference: B-7788", "Invoice No: HT-2024-31"), "B-7788"),
    ],
)
def test_an_order_word_in_a_party_labels_value_is_not_the_order(party_row, expected):
    invoice = extract([*PARTY_VALUE_TOP, party_row, ("", "Invoice Date: 5 March 2024"), *PARTY_VALUE_TOTALS])
    assert invoice.invoice_number == "HT-2024-31"
    assert invoice.po_reference == expected
