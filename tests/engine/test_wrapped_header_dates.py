"""Dates in narrow header cells as browsers print them: wrapped titles, wrapped dates, values run together.

An invoice printed from HTML sets its header in a table of narrow cells:
a title wraps over two lines ("Date de" over "facture"), a date wraps
("15 April" over "2024"), values sit so close that two read as one cell,
and a card's title wrapped to two lines has its neighbour's value beside
its second line.  Each page is made up and drawn with reportlab
(``read`` of ``test_varied_layouts``).
"""

from __future__ import annotations

import datetime as dt

from .test_varied_layouts import read, supplier, totals

_EN_TOTALS = [("Subtotal", "100.00"), ("VAT 20%", "20.00"), ("Total", "120.00")]


def _english(header: list[tuple[float, float, str]]):
    """A British seller's invoice with ``header`` between its title and its totals."""
    return read(supplier("VAT Reg No: GB123456789") + [(40, 200, "INVOICE")] + header + totals(400, _EN_TOTALS))


def test_titles_wrapped_over_two_lines_of_a_header_row_give_the_dates_under_them():
    invoice = _english(
        [(40, 230, "INVOICE"), (130, 230, "INVOICE"), (220, 230, "DUE"), (310, 230, "CUSTOMER")]
        + [(40, 240, "NUMBER"), (130, 240, "DATE"), (220, 240, "DATE"), (310, 240, "NO.")]
        + [(40, 256, "INV-2231"), (130, 256, "28/05/2024"), (220, 256, "27/06/2024"), (310, 256, "C8956")]
    )
    assert invoice.issue_date == dt.date(2024, 5, 28)
    assert invoice.due_date == dt.date(2024, 6, 27)
    assert invoice.confidence["issue_date"] > 0.5  # read under its title, not guessed from a date alone


def test_a_date_wrapped_in_its_cell_is_read_whole():
    invoice = _english(
        [(40, 230, "Invoice number:"), (140, 230, "INV-2231"), (40, 244, "Invoice date:"), (140, 244, "15 April")]
        + [(140, 254, "2024"), (40, 268, "Due date:"), (140, 268, "15/05/2024")]
    )
    assert invoice.issue_date == dt.date(2024, 4, 15)
    assert invoice.due_date == dt.date(2024, 5, 15)


def test_values_run_together_under_their_titles_each_go_to_the_title_over_them():
    # a browser's narrow padding: "03/05/2024 17/05/2024" read as one cell under two titles
    invoice = _english(
        [(40, 230, "Invoice number"), (130, 230, "Invoice date"), (185, 230, "Due date")]
        + [(40, 244, "INV-2231"), (130, 244, "03/05/2024"), (180, 244, "17/05/2024")]
    )
    assert invoice.issue_date == dt.date(2024, 5, 3)
    assert invoice.due_date == dt.date(2024, 5, 17)


def test_the_value_beside_a_wrapped_card_title_belongs_to_the_card_title_above_it():
    # "Rechnungsdatum /" wraps to "Invoice date"; beside it stands the due date of the next card
    invoice = read(
        supplier("USt-IdNr.: DE136695976")
        + [(40, 200, "Rechnung"), (40, 215, "Rechnungsnummer: RE-4711")]
        + [(40, 240, "Rechnungsdatum /"), (160, 240, "Fällig am")]
        + [(40, 250, "Invoice date"), (160, 250, "13.04.2024")]
        + [(40, 264, "30.03.2024")]
        + totals(400, [("Nettobetrag", "100,00"), ("USt. 19%", "19,00"), ("Gesamtbetrag", "119,00")])
    )
    assert invoice.issue_date == dt.date(2024, 3, 30)
    assert invoice.due_date == dt.date(2024, 4, 13)


def test_each_cell_is_tried_once_as_a_wrapped_title_however_many_fields_ask(monkeypatch):
    # the number, the dates and the order each look for their wrapped titles: the cells are joined once a document
    from invoice_import.engine.freeform import headings

    tried = []
    real = headings._wrapped_cell

    def counted(doc, line, cell):
        tried.append((id(doc), line.index, cell.x0))
        return real(doc, line, cell)

    monkeypatch.setattr(headings, "_wrapped_cell", counted)
    invoice = _english(
        [(40, 230, "INVOICE"), (130, 230, "INVOICE"), (220, 230, "DUE"), (310, 230, "PURCHASE")]
        + [(40, 240, "NUMBER"), (130, 240, "DATE"), (220, 240, "DATE"), (310, 240, "ORDER")]
        + [(40, 256, "INV-2231"), (130, 256, "28/05/2024"), (220, 256, "27/06/2024"), (310, 256, "PO-8812")]
    )
    assert (invoice.invoice_number, invoice.issue_date, invoice.due_date) == (
        "INV-2231",
        dt.date(2024, 5, 28),
        dt.date(2024, 6, 27),
    )
    assert invoice.po_reference == "PO-8812"
    assert tried and len(tried) == len(set(tried))
