"""The template-free reader on classes of plain text-PDF invoices found by ``bench/outside_truth.py``.

Those are public invoices whose values a person wrote down (invoice2data's
``tests/compare``, no embedded XML).  Each case is a made-up page drawn
with reportlab and read through ``extract_bytes`` (``read`` of
``test_varied_layouts``); no outside document is pinned here.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from .test_varied_layouts import read, supplier


def _shop_page(untaxed_label: str) -> list[tuple[float, float, str]]:
    """A web shop's bill: item prices include the VAT, the untaxed amount is labelled by the qualifier alone."""
    return (
        supplier("BTW NL123456789B01")
        + [(40, 200, "FACTUUR"), (40, 215, "Factuurnummer: 88120455"), (40, 228, "Factuurdatum: 3 mei 2021")]
        + [(40, 260, "Artikel"), (300, 260, "Aantal"), (400, 260, ">Prijs per stuk"), (450, 260, "BTW")]
        + [(550, 260, ">Prijs incl. BTW")]
        + [(40, 275, "Draadloze koptelefoon"), (300, 275, "1"), (400, 275, ">€ 150,00"), (450, 275, "21%")]
        + [(550, 275, ">€ 150,00")]
        + [(40, 290, "Oplader USB-C"), (300, 290, "2"), (400, 290, ">€ 46,00"), (450, 290, "21%")]
        + [(550, 290, ">€ 92,00")]
        + [(60, 330, untaxed_label), (200, 330, ">€ 200,00"), (400, 330, "Subtotaal"), (550, 330, ">€ 242,00")]
        + [(60, 344, "BTW 21%"), (200, 344, ">€ 42,00"), (400, 344, "Totaal"), (550, 344, ">€ 242,00")]
    )


def test_the_qualifier_alone_labels_the_untaxed_amount_where_the_subtotal_includes_the_tax():
    for label in ("Exclusief BTW", "Excl. btw"):
        invoice = read(_shop_page(label))
        totals = (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total)
        assert totals == (D("200.00"), D("42.00"), D("242.00")), label


def _reference_row(titles: list[str], values: list[str]) -> list[tuple[float, float, str]]:
    """The document's references as a one-row table: column titles at y 230, their values under them."""
    xs = [40 + 100 * column for column in range(len(titles))]
    return [(x, 230, title) for x, title in zip(xs, titles, strict=True)] + [
        (x, 244, value) for x, value in zip(xs, values, strict=True)
    ]


def test_a_bare_title_heading_a_column_of_a_row_of_titles_gives_the_number_under_it():
    rows = (
        ("Kopie factuur", ["Klant", "Order", "Factuur datum", "Factuur", "Vervaldatum"]),
        ("Rechnungskopie", ["Kunde", "Auftrag", "Rechnungsdatum", "Rechnung", "Fällig am"]),
        ("Copie de facture", ["Client", "Commande", "Date de facture", "Facture", "Échéance"]),
    )
    for heading, titles in rows:
        values = ["KL0303006", "OR000444", "8-9-2022", "VF10051930", "22-9-2022"]
        invoice = read(
            supplier("VAT NL815254295B01")
            + [(40, 200, heading)]
            + _reference_row(titles, values)
            + [(340, 400, "Totaal"), (550, 400, ">49,99")]
        )
        assert invoice.invoice_number == "VF10051930", heading


def test_a_title_in_a_row_whose_labels_hold_their_own_values_heads_no_column():
    # "Factuur" between labelled values is a word of the row, not a column title: nothing under it is read
    invoice = read(
        supplier("VAT NL815254295B01")
        + [(40, 230, "Klant: KL0303006"), (200, 230, "Factuur"), (300, 230, "Datum: 8-9-2022")]
        + [(200, 244, "VF10051930")]
        + [(340, 400, "Total"), (550, 400, ">49,99")]
    )
    assert invoice.invoice_number != "VF10051930"


def test_totals_words_titling_the_item_columns_give_no_totals():
    # a header of two rows: "Ohne MwSt." and "MwSt." under the price columns title the items' prices
    items = []
    for row, (name, price) in enumerate((("Exchange Standard", "3,89"), ("Exchange Quality", "5,39"))):
        y = 300 + 40 * row
        items += [(40, y, str(row + 1)), (80, y, "1"), (120, y, name), (470, y, ">" + price), (550, y, ">" + price)]
        items += [(120, y + 12, "Grundgebühr pro Einheit"), (120, y + 24, "01.05.14-31.05.14")]
    invoice = read(
        supplier("USt-IdNr.: DE232446240")
        + [(40, 200, "Rechnung"), (40, 215, "Rechnungsnr."), (150, 215, "30064443")]
        + [(40, 260, "Pos."), (80, 260, "Menge"), (120, 260, "Beschreibung"), (470, 260, ">VK-Preis")]
        + [(550, 260, ">Zeilenbetrag"), (470, 272, ">Ohne"), (550, 272, ">Ohne MwSt."), (470, 284, ">MwSt.")]
        + items
        + [(400, 420, "Total EUR"), (550, 420, ">9,28")]
    )
    assert invoice.amount_total == D("9.28")
    assert D("3.89") not in (invoice.amount_untaxed, invoice.amount_tax)


def test_spanish_subtotal_tax_total_and_balance_due_labels():
    invoice = read(
        supplier("CIF: ESB87530432")
        + [(40, 200, "FACTURA"), (40, 215, "Número de factura: INV/2024/00005"), (40, 228, "Fecha: 05/07/2024")]
        + [(40, 260, "DESCRIPCIÓN"), (250, 260, "CANTIDAD"), (400, 260, ">PRECIO UNITARIO"), (550, 260, ">TOTAL")]
        + [(40, 275, "Rotulador de pizarra"), (250, 275, "50"), (400, 275, ">1.20"), (550, 275, ">60.00")]
        + [(40, 290, "Trituradora papel"), (250, 290, "5"), (400, 290, ">100.25"), (550, 290, ">501.25")]
        + [(400, 320, "TOTAL PARCIAL"), (550, 320, ">561.25"), (400, 334, "TASA DE IMPUESTO"), (550, 334, ">21,00%")]
        + [(400, 348, "TOTAL IMPUESTOS"), (550, 348, ">117.86"), (400, 362, "Saldo adeudado"), (550, 362, ">679.11")]
    )
    totals = (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total)
    assert totals == (D("561.25"), D("117.86"), D("679.11"))


def test_dollars_named_in_words_are_us_dollars_even_from_a_seller_with_an_abn():
    page = [(40, 40, "Tax Invoice"), (40, 55, "Marketplace Pty Ltd"), (40, 67, "ABN: 11 119 159 741")]
    page += [(40, 100, "Invoice No. 12429647"), (40, 113, "Date: 28 Jan 2015"), (340, 200, "Invoice Total:")]
    page += [(550, 200, ">$101.00")]
    assert read(page).currency == "AUD"  # "$" beside an ABN: the Australian dollar
    assert read(page + [(40, 240, "All prices are in US dollars.")]).currency == "USD"


def test_a_heading_over_a_code_alone_in_its_cell_gives_the_number_and_over_an_address_does_not():
    totals = [(400, 400, "Total"), (550, 400, ">1721.00")]
    for heading in ("FACTURA", "Rechnung", "Facture"):
        page = [(40, 40, heading), (40, 55, "INV/2024/00005"), (40, 80, "TECNATIVA"), (40, 92, "Fecha: 05/07/2024")]
        assert read(page + totals).invoice_number == "INV/2024/00005", heading
    address = [(40, 40, "Rechnung"), (40, 55, "12345 Berlin"), (40, 80, "Datum: 05.07.2024")]
    assert read(address + totals).invoice_number != "12345"


def test_a_number_built_on_its_issue_date_is_still_the_number():
    for number in ("20240210-SAMPLE", "20231105-001"):
        invoice = read(
            supplier("VAT: GB123456789")
            + [(40, 200, "Invoice"), (300, 215, f"Invoice ID: {number}"), (300, 228, "Invoice Issue Date: 2024/02/10")]
            + [(340, 400, "Total (including tax):"), (550, 400, ">550.00 USD")]
        )
        assert invoice.invoice_number == number


def test_dollar_signs_are_the_dollar_whose_code_the_page_prints():
    page = [(40, 40, "Widgets Pty"), (40, 55, "123 Sample St"), (300, 100, "Invoice Number: 987654321")]
    page += [(300, 113, "Issue Date: Mar 19, 2017"), (340, 200, "Subtotal:"), (550, 200, ">$474.35")]
    page += [(340, 214, "GST (10%):"), (550, 214, ">$47.44"), (340, 228, "Amount due:"), (550, 228, ">$521.79")]
    assert read(page).currency == "USD"
    for code in ("AUD", "NZD", "CAD"):
        assert read(page + [(340, 260, f"Amount due in {code}:"), (550, 260, ">$521.79")]).currency == code


def test_a_dotted_date_typeset_with_spaces_is_read():
    invoice = read(
        [(40, 40, "Max Mustermann"), (40, 52, "Senderstraße 12"), (40, 64, "55555 Stadt")]
        + [(300, 150, "Rechnungsnummer"), (420, 150, "Rechnungsdatum"), (300, 163, "20181114-1")]
        + [(420, 163, "14. 11. 2018"), (40, 200, "Rechnung"), (340, 300, "Gesamtsumme"), (550, 300, ">129,00 €")]
    )
    assert invoice.issue_date == dt.date(2018, 11, 14)
    assert invoice.invoice_number == "20181114-1"


def test_an_item_rows_tax_exemption_is_no_tax_amount():
    items = [(40, 260, "Description"), (200, 260, "Quantity"), (380, 260, "Tax"), (550, 260, ">Amount USD")]
    items += [(40, 275, "Hourly Work"), (200, 275, "120.00"), (380, 275, "Tax Exempt"), (550, 275, ">$9,600.00")]
    items += [(40, 290, "Discounted Purchase"), (200, 290, "1.00"), (380, 290, "7.00%"), (550, 290, ">$1,000.00")]
    invoice = read(
        [(40, 40, "INVOICE"), (40, 55, "Zimmer Tech Ltd"), (300, 100, "Invoice Number: INV-0000")]
        + [(300, 113, "Invoice Date: 14 Sep 2021")]
        + items
        + [(340, 320, "Subtotal"), (550, 320, ">$10,600.00"), (340, 334, "TOTAL USD"), (550, 334, ">$10,570.00")]
    )
    assert invoice.amount_total == D("10570.00")
    assert invoice.amount_tax != D("9600.00")


def _letterhead_page(name: str) -> list[tuple[float, float, str]]:
    """A letterhead naming its sender with nothing else in the cell, a customer block, a labelled header."""
    return (
        [(400, 40, name), (400, 52, "Ochsengasse 66"), (400, 64, "4123 Allschwil")]
        + [(40, 120, "Bill To"), (40, 132, "Universität Zürich"), (40, 144, "Stampfenbachstrasse 73")]
        + [(40, 156, "8006 Zürich"), (40, 200, "Invoice UZH-ZI-5"), (40, 213, "Date: 30.06.2023")]
        + [(340, 300, "Total"), (550, 300, ">8'390.40")]
    )


def test_a_legal_form_set_apart_by_a_comma_ends_the_sellers_name():
    for name in ("Example, LLC", "Acme Widgets, Inc."):
        page = [(40, 40, "Invoice"), (40, 55, "Invoice Number"), (150, 55, "123"), (40, 68, "Issue Date")]
        page += [(150, 68, "March 25, 2024"), (40, 81, "Due Date"), (150, 81, "March 25, 2024"), (40, 94, "Status")]
        page += [(150, 94, "PAID"), (40, 120, name), (300, 120, "Bill To"), (40, 132, "123 Fake Street")]
        page += [(300, 132, "Customer"), (40, 144, "New York City, NY 10012"), (300, 144, "Address")]
        page += [(340, 250, "Amount Due"), (550, 250, ">$19.00")]
        assert read(page).supplier.name == name


def test_a_brand_in_lower_case_with_its_legal_form_alone_in_its_cell_names_the_seller():
    assert read(_letterhead_page("nordwerk GmbH")).supplier.name == "nordwerk GmbH"


def test_the_one_date_alone_in_the_header_dates_the_invoice_when_no_label_does():
    header = [(40, 40, "Jane Doe"), (400, 40, "2026F02-001"), (400, 55, "FACTURE"), (40, 70, "12 rue de la Paix")]
    totals = [(340, 300, "Total TTC"), (550, 300, ">8 640,00 €")]
    invoice = read(header + [(400, 70, "02/03/2026"), (40, 82, "69001 Lyon")] + totals)
    assert invoice.issue_date == dt.date(2026, 3, 2)
    # under a label the date is that label's: a due date is no issue date
    due = read(header + [(400, 70, "Échéance"), (400, 82, "02/04/2026"), (40, 82, "69001 Lyon")] + totals)
    assert due.issue_date is None
    # two lone dates: which one is the invoice's is unknown
    two = read(header + [(400, 70, "02/03/2026"), (400, 82, "02/04/2026"), (40, 82, "69001 Lyon")] + totals)
    assert two.issue_date is None


def test_a_marketplace_page_names_the_seller_after_sold_by_in_each_language():
    for sold_by in ("Venduto da", "Verkauft von", "Vendu par", "Verkocht door", "Vendido por"):
        invoice = read(
            [(40, 40, "Ricevuta d'acquisto"), (300, 60, f"{sold_by} Handelshaus EU S.à r.l., Succursale")]
            + [(40, 90, "Mario Bianchi"), (40, 102, "Via Roma 27"), (40, 114, "86170 Isernia")]
            + [(300, 90, "Data ricevuta"), (420, 90, "10 luglio 2020"), (340, 200, "Totale"), (550, 200, ">€ 11,96")]
            + [(40, 400, "Registro delle Imprese di Milano – REA n. 2059602")]
        )
        assert invoice.supplier.name.startswith("Handelshaus EU S.à r.l."), sold_by


def test_a_date_label_inside_a_sentence_of_the_terms_dates_another_document():
    invoice = read(
        [(40, 40, "TAX INVOICE"), (40, 55, "Atria Networks Limited"), (40, 70, "Invoice No. : KA-B1-149594530")]
        + [
            (40, 100, "Billing Period"),
            (150, 100, "Invoice Date"),
            (260, 100, "Amount Payable"),
            (380, 100, "Due Date"),
        ]
        + [(40, 113, "Sep, 2025"), (150, 113, "01/09/2025"), (260, 113, "3,363.00"), (380, 113, "25/09/2025")]
        + [(340, 200, "Total"), (550, 200, ">3,363.00")]
        + [(40, 400, "Credit notes are sent on customer's request against tax invoice issued on 09-10-2025 only.")]
    )
    assert invoice.issue_date == dt.date(2025, 9, 1)


def test_indian_gst_invoices_state_the_taxable_value_and_the_invoice_value():
    invoice = read(
        [(40, 40, "Tax Invoice"), (40, 55, "KNR Tours Private Limited"), (40, 70, "Invoice No."), (200, 70, "Date")]
        + [(40, 83, "RKA25-A003935786"), (200, 83, "26/08/2025"), (300, 150, "Bus Fare"), (550, 150, ">1,760.00")]
        + [(300, 164, "Total Taxable Value"), (550, 164, ">1,760.00"), (300, 178, "CGST @ 2.5%"), (550, 178, ">44.00")]
        + [(300, 192, "SGST @ 2.5%"), (550, 192, ">44.00"), (300, 206, "Total Invoice Value"), (550, 206, ">1,848.00")]
    )
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
        D("1760.00"),
        D("88.00"),
        D("1848.00"),
    )


def test_the_customers_full_name_over_its_address_is_not_the_seller():
    # the customer's name short after its label, in full over its address in the letterhead's first cell
    invoice = read(
        [(40, 40, "TAX INVOICE"), (40, 55, "Mohammed Rasik Ibrahimsha"), (300, 67, "ATRIA NETWORKS LIMITED,")]
        + [(40, 67, "site no 54, 2nd cross"), (300, 79, "59th C Cross, 4th M Block"), (40, 79, "Bangalore")]
        + [(300, 91, "GSTIN : 29AACCA8907B1ZU"), (40, 120, "Customer Name : Mohammed Rasik")]
        + [(40, 135, "Invoice No. : KA-B1-149594530"), (40, 150, "Invoice Date : 01/09/2025")]
        + [(340, 250, "Total"), (550, 250, ">3,363.00")]
        + [(40, 600 + 14 * row, f"Terms and conditions, clause {row + 1}.") for row in range(8)]
    )
    assert invoice.supplier.name == "ATRIA NETWORKS LIMITED"


def test_a_text_layers_due_date_is_never_repaired_as_an_ocr_misreading():
    # Mar 10 + 30 days is Apr 09: one digit off the printed Apr 08, but a text layer misreads no digit
    invoice = read(
        [(40, 40, "INVOICE"), (40, 55, "INV-003092"), (40, 70, "Demo Company LLC"), (300, 100, "Invoice Date")]
        + [(400, 100, "Mar 10, 2026"), (300, 113, "Due Date"), (400, 113, "Apr 08, 2026"), (300, 126, "Terms")]
        + [(400, 126, "Net 30"), (340, 250, "TOTAL DUE"), (550, 250, ">$2,332.75")]
    )
    assert (invoice.issue_date, invoice.due_date) == (dt.date(2026, 3, 10), dt.date(2026, 4, 8))


def test_rupees_printed_as_rs_are_money_in_inr():
    invoice = read(
        [(40, 40, "TAX INVOICE"), (40, 55, "Oravel Stays Private Limited"), (40, 70, "Invoice No. IBZY2087")]
        + [(40, 85, "Date: 31/12/2017"), (40, 150, "Room Charges"), (550, 150, ">Rs 1939")]
        + [(340, 200, "Grand Total"), (550, 200, ">Rs 1939")]
    )
    assert (invoice.amount_total, invoice.currency) == (D("1939"), "INR")


def test_a_page_in_whole_units_states_its_totals_without_cents():
    page = [(40, 40, "Pristine Enterprises"), (300, 60, "Invoice No."), (400, 60, "29202411003")]
    page += [
        (300, 73, "Date"),
        (400, 73, "01-12-2024"),
        (40, 120, "Item"),
        (300, 120, "Quantity"),
        (550, 120, ">Amount"),
    ]
    page += [(40, 135, "RO Water Can 10L"), (300, 135, "100"), (550, 135, ">1000")]
    page += [(40, 150, "Water bottle case"), (300, 150, "100"), (550, 150, ">37000")]
    whole = read(page + [(340, 200, "Subtotal: 38000"), (340, 214, "GST: 12%"), (340, 228, "Total: 42560")])
    assert (whole.amount_untaxed, whole.amount_total) == (D("38000"), D("42560"))
    # where the page prints cents, a whole number after a label is a count, not the amount
    counted = read(page + [(340, 200, "Total: 3"), (340, 214, "Amount due"), (550, 214, ">42,560.00")])
    assert counted.amount_total == D("42560.00")


def test_a_heading_beside_another_blocks_heading_still_has_its_number_under_it():
    invoice = read(
        [(40, 40, "TENNISMEHL GmbH Hundsberg 13 97950 Großrinderfeld"), (40, 70, "Herrn Andreas Dallner")]
        + [(40, 82, "Albrecht-Dürer-Straße 44"), (40, 94, "97204 Höchberg"), (40, 130, "RECHNUNG")]
        + [(350, 130, "Lieferadresse"), (40, 145, "2503001"), (350, 145, "TG Höchberg")]
        + [(40, 170, "Kunden-Nr.:"), (200, 170, "Datum"), (40, 183, "10300"), (200, 183, "04.03.2025")]
        + [(340, 300, "Gesamtsumme"), (550, 300, ">3.834,06 €")]
    )
    assert invoice.invoice_number == "2503001"


def test_a_sender_line_names_a_seller_who_writes_its_brand_in_lower_case():
    invoice = read(
        [(40, 60, "lesewelt - Lesestraße 111 - 54545 Lesestadt"), (40, 75, "Max Mustermann")]
        + [(40, 87, "Musterstraße 1"), (40, 99, "54321 Musterstadt"), (330, 75, "Rechnungs-Nr."), (450, 75, "000002")]
        + [(330, 87, "Rechnungsdatum"), (450, 87, "26.10.2023"), (40, 140, "Rechnung")]
        + [(340, 250, "Gesamt"), (550, 250, ">17,00 €")]
    )
    assert invoice.supplier.name == "lesewelt"
    assert invoice.customer.name == "Max Mustermann"
