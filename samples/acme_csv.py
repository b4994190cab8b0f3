"""ACME Industrial's CSV export of an invoice, written from code: the Odoo matching tests and bench/pipeline.py use it.

Pure Python (no Odoo), so a bench outside Odoo's test framework can import it.
"""

from decimal import Decimal

CSV_HEADER = (
    "Rechnungsnr;Belegart;Rechnungsdatum;Fällig am;Bestellnr;Kunde;Artikelnr;Bezeichnung;Menge;Einzelpreis;"
    "Rabatt %;MwSt %;Betrag netto;Netto gesamt;MwSt gesamt;Brutto gesamt"
)


def _de(value):
    return format(Decimal(str(value)), "f").replace(".", ",")


def acme_csv(number, po_reference, lines):
    """ACME's CSV export (cp1252, German numbers) of one invoice; ``lines``: (code, description, qty, price)."""
    amounts = [(Decimal(str(qty)) * Decimal(str(price))).quantize(Decimal("0.01")) for _c, _d, qty, price in lines]
    net = sum(amounts, Decimal(0))
    tax = (net * Decimal("0.19")).quantize(Decimal("0.01"))
    rows = [CSV_HEADER]
    for (code, description, qty, price), amount in zip(lines, amounts, strict=True):
        rows.append(
            ";".join(
                [
                    number,
                    "RE",
                    "05.03.2024",
                    "04.04.2024",
                    po_reference or "",
                    "Müller Maschinenbau GmbH",
                    code or "",
                    description,
                    _de(qty),
                    _de(price),
                    "0",
                    "19",
                    _de(amount),
                    _de(net),
                    _de(tax),
                    _de(net + tax),
                ]
            )
        )
    return ("\r\n".join(rows) + "\r\n").encode("cp1252")
