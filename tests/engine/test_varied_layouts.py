"""The template-free reader on header layouts and languages it was not tuned on.

Each case is a page drawn with reportlab (labels beside their values,
above them, "key: value" rows, a block of header fields beside the
address, a header table, the number and date inside the title sentence)
and read through the product's own path (``extract_bytes``: pdfium's
character boxes -> ``layout.Layout`` -> the template-free reader).  The
layouts are made up, as ``bench/synthetic_invoices.py`` makes them up by
the hundred; no corpus document is pinned here.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from invoice_import.engine.extract import extract_bytes

D = Decimal


def read(items: list[tuple[float, float, str]]):
    """A4 page with each text at (x, y from the top); a text starting with '>' is right-aligned at x."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    pdf.setFont("Helvetica", 9)
    for x, y, text in items:
        if text.startswith(">"):
            pdf.drawRightString(x, A4[1] - y, text[1:])
        else:
            pdf.drawString(x, A4[1] - y, text)
    pdf.save()
    (invoice,) = extract_bytes(buffer.getvalue(), filename="drawn.pdf").invoices
    return invoice


def supplier(vat_line: str) -> list[tuple[float, float, str]]:
    return [(40, 50, "Atlas Trading GmbH"), (40, 62, "Hauptstraße 5"), (40, 74, "10115 Berlin"), (40, 86, vat_line)]


def totals(y: float, rows: list[tuple[str, str]]) -> list[tuple[float, float, str]]:
    """A totals block: labels at x 340, amounts right-aligned at the margin."""
    items = []
    for row, (label, amount) in enumerate(rows):
        items += [(340, y + 14 * row, label), (550, y + 14 * row, ">" + amount)]
    return items


def test_values_right_of_their_labels_with_italian_month_names():
    invoice = read(
        supplier("Partita IVA: IT00743110157")
        + [(40, 230, "FATTURA"), (40, 255, "Numero fattura"), (200, 255, "FV-2024-017")]
        + [(40, 268, "Data fattura"), (200, 268, "7 marzo 2024"), (40, 281, "Data scadenza")]
        + [(200, 281, "6 aprile 2024")]
        + totals(400, [("Imponibile", "1.000,00"), ("IVA 22%", "220,00"), ("Totale fattura", "1.220,00")])
    )
    assert invoice.invoice_number == "FV-2024-017"
    assert (invoice.issue_date, invoice.due_date) == (dt.date(2024, 3, 7), dt.date(2024, 4, 6))
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
        D("1000.00"),
        D("220.00"),
        D("1220.00"),
    )


def test_a_header_row_with_a_title_the_vocabulary_does_not_know_keeps_its_values_under_their_titles():
    # "Cod. cliente" is no known label: the number's cell still ends at the column gap, its value is under it
    invoice = read(
        supplier("P. IVA IT00743110157")
        + [(40, 230, "FATTURA"), (40, 255, "Numero fattura"), (170, 255, "Cod. cliente"), (300, 255, "Data fattura")]
        + [(40, 268, "20/2914"), (170, 268, "51808"), (300, 268, "01.03.2020")]
        + totals(400, [("Imponibile", "100,00"), ("IVA 22%", "22,00"), ("Totale", "122,00")])
    )
    assert invoice.invoice_number == "20/2914"
    assert invoice.issue_date == dt.date(2020, 3, 1)


def test_a_label_never_spans_a_column_gap():
    # "Invoice #" and "Date" side by side would fold to "invoice date" read as one text
    invoice = read(
        supplier("VAT No: GB980780684")
        + [(40, 230, "Invoice"), (40, 255, "Invoice #"), (170, 255, "Date"), (300, 255, "Due date")]
        + [(40, 268, "2020-9130"), (170, 268, "08.01.2020"), (300, 268, "23.01.2020")]
        + totals(400, [("Subtotal", "100.00"), ("VAT 20%", "20.00"), ("Total due", "120.00")])
    )
    assert invoice.invoice_number == "2020-9130"
    assert (invoice.issue_date, invoice.due_date) == (dt.date(2020, 1, 8), dt.date(2020, 1, 23))


def test_key_value_rows_in_spanish_with_a_deadline_sentence():
    invoice = read(
        supplier("NIF: ESB72332414")
        + [(40, 230, "FACTURA"), (40, 255, "Nº factura: 2019-7021"), (40, 268, "Fecha: 22 de marzo de 2019")]
        + totals(400, [("Base imponible", "1.000,00"), ("IVA 21%", "210,00"), ("Total factura", "1.210,00")])
        + [(40, 470, "Por favor, pague antes del 6 de mayo de 2019.")]
    )
    assert invoice.invoice_number == "2019-7021"
    assert (invoice.issue_date, invoice.due_date) == (dt.date(2019, 3, 22), dt.date(2019, 5, 6))


def test_number_and_date_inside_the_title_sentence():
    for title, number in (("Rechnung Nr. 4711 vom 05.03.2018", "4711"), ("Fattura n. 12/B del 05.03.2018", "12/B")):
        invoice = read(
            supplier("USt-IdNr.: DE136695976")
            + [(40, 230, title)]
            + totals(400, [("Summe netto", "100,00"), ("MwSt. 19%", "19,00"), ("Gesamtbetrag", "119,00")])
        )
        assert invoice.invoice_number == number
        assert invoice.issue_date == dt.date(2018, 3, 5)


def test_a_deadline_sentence_gives_the_due_date_and_a_net_total_is_no_payment_term():
    # "Summe netto 50.262,95" is no "net 50" payment term; the sentence says when to pay
    invoice = read(
        supplier("USt-IdNr.: DE136695976")
        + [(40, 230, "RECHNUNG"), (40, 255, "Rechnungsnummer"), (170, 255, "R90033")]
        + [(40, 268, "Rechnungsdatum"), (170, 268, "28.10.2021")]
        + totals(400, [("Summe netto", "50.262,95"), ("MwSt. 19%", "9.549,96"), ("Gesamtbetrag", "59.812,91")])
        + [(40, 470, "Bitte überweisen Sie den Betrag bis zum 07.11.2021.")]
    )
    assert invoice.due_date == dt.date(2021, 11, 7)


def test_payment_terms_in_days_in_spanish_and_italian():
    for words in ("Pago a 30 días.", "Pagamento a 30 giorni."):
        invoice = read(
            supplier("NIF: ESB72332414")
            + [(40, 230, "Factura nº 88412 de fecha 10/02/2023")]
            + totals(400, [("Base imponible", "100,00"), ("IVA 21%", "21,00"), ("Total", "121,00")])
            + [(40, 470, words)]
        )
        assert invoice.issue_date == dt.date(2023, 2, 10)
        assert invoice.due_date == dt.date(2023, 3, 12)


def test_tax_lines_per_rate_add_up_to_the_tax_total():
    # each rate's label ("Cuota IVA 21%") proposes its own amount; together they are the tax
    invoice = read(
        supplier("NIF: ESB72332414")
        + [(40, 230, "Factura nº 2019-7021 de fecha 22/03/2019")]
        + totals(
            400,
            [
                ("Base imponible", "118.706,00"),
                ("Cuota IVA 21% (79.208,46)", "16.633,78"),
                ("IVA 10% (39.497,54)", "3.949,75"),
                ("Total factura", "139.289,53"),
            ],
        )
    )
    assert invoice.amount_tax == D("20583.53")
    assert invoice.amount_total == D("139289.53")


def test_header_fields_beside_the_address_and_a_currency_symbol_heading_the_amounts():
    invoice = read(
        supplier("BTW-nummer: NL004495445B01")
        + [(330, 125, "FACTUUR"), (330, 150, "Factuurnummer:"), (450, 150, "2022-0412")]
        + [(330, 163, "Factuurdatum:"), (450, 163, "3 maart 2022"), (330, 176, "Vervaldatum:")]
        + [(450, 176, "2 april 2022"), (40, 140, "Factuuradres"), (40, 152, "Meridian Media B.V.")]
        + [(40, 260, "Omschrijving"), (330, 260, ">Aantal"), (430, 260, ">Prijs"), (550, 260, ">Bedrag (€)")]
        + [(40, 275, "Onderhoud"), (330, 275, ">2"), (430, 275, ">50,00"), (550, 275, ">100,00")]
        + totals(300, [("Subtotaal", "100,00"), ("BTW 21%", "21,00"), ("Totaal", "121,00")])
    )
    assert invoice.invoice_number == "2022-0412"
    assert (invoice.issue_date, invoice.due_date) == (dt.date(2022, 3, 3), dt.date(2022, 4, 2))
    assert invoice.currency == "EUR"
    assert invoice.amount_total == D("121.00")


def test_a_remark_in_parentheses_is_no_part_of_the_label_before_it():
    # "Total (IVA incluido)" is the total, not the "Total IVA" tax label read across the parenthesis
    invoice = read(
        supplier("NIF: ESB72332414")
        + [(40, 230, "Factura nº 172865 de fecha 13/06/2020")]
        + totals(
            400,
            [
                ("Subtotal", "12.884,11"),
                ("Cuota IVA 21% (1.373,35)", "288,40"),
                ("IVA (10%) (11.510,76)", "1.151,08"),
                ("Total (IVA incluido)", "14.323,59"),
            ],
        )
    )
    assert (invoice.amount_tax, invoice.amount_total) == (D("1439.48"), D("14323.59"))


def test_a_row_of_totals_titles_with_rates_over_their_values():
    # titles and values right-aligned in columns; each tax title names its rate, the values add up
    titles = ("Base imponible", "IVA 21%", "Cuota IVA 10%", "Total (IVA incluido)")
    values = ("63.066,69", "8.544,99", "2.237,62", "73.849,30")
    items = supplier("NIF: ESB72332414") + [(40, 230, "Factura nº A35187 de fecha 26/03/2020")]
    for column, (title, value) in enumerate(zip(titles, values, strict=True)):
        items += [(550 - 120 * (3 - column), 400, ">" + title), (550 - 120 * (3 - column), 413, ">" + value)]
    invoice = read(items)
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (
        D("63066.69"),
        D("10782.61"),
        D("73849.30"),
    )


def test_ambiguous_numeric_dates_on_a_dollar_invoice_are_read_month_first():
    # "04/10/2020" and "05/10/2020" read either way; a US invoice prints the month first
    invoice = read(
        [(40, 50, "Brightwater Systems Inc."), (40, 62, "12 Main Street, Boston MA")]
        + [(40, 230, "INVOICE"), (40, 255, "Invoice number: 2020-0412"), (40, 268, "Invoice date: 04/10/2020")]
        + [(40, 281, "Due date: 05/10/2020")]
        + totals(400, [("Subtotal", "$1,000.00"), ("Sales tax", "$62.50"), ("Total due", "$1,062.50")])
    )
    assert (invoice.issue_date, invoice.due_date) == (dt.date(2020, 4, 10), dt.date(2020, 5, 10))
    assert invoice.currency == "USD"
