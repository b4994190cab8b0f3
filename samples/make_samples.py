"""Writes ``samples/bolt_supplies_invoice.pdf``, the sample matched by ``formats/bolt_supplies_pdf.json``.

A sample generated from code, not a binary of unknown origin: anyone can
read what it contains and regenerate it (``python3 samples/make_samples.py``).
The output is byte-for-byte reproducible (reportlab's invariant mode), so
regenerating it leaves git clean.  Its line table runs over two pages with
a repeated page header and footer, like a real supplier's invoice.

``draw_bolt_invoice`` is also used by the tests with more lines to get a
three-page document.
"""

from __future__ import annotations

import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

HERE = Path(__file__).resolve().parent
SAMPLE_PDF = HERE / "bolt_supplies_invoice.pdf"
CENT = Decimal("0.01")

HEADER = {
    "supplier": "Bolt Supplies Ltd",
    "address": ["Unit 4, Riverside Trading Estate", "Leeds LS10 1AB", "United Kingdom"],
    "vat": "GB 123 4567 89",
    "email": "accounts@boltsupplies.example",
    "invoice_number": "BS-2024-00417",
    "issue_date": "12/03/2024",
    "due_date": "11/04/2024",
    "po_reference": "PO-88123",
    "customer": ["Northwind Fabrication Ltd", "14 Canal Street", "Manchester M1 3HE"],
    "customer_vat": "GB 987 6543 21",
}

# (code, description, quantity, unit price, VAT %)
ITEMS = [
    ("BS-M8X40-Z", "Hex bolt M8 x 40 zinc plated, box of 100", "5", "12.40", "20"),
    ("BS-M8-NUT", "Hex nut M8 zinc plated, box of 200", "5", "6.85", "20"),
    ("BS-W8-FLAT", "Flat washer M8, box of 500", "2", "9.10", "20"),
    ("BS-M10X60-A2", "Hex bolt M10 x 60 stainless A2, box of 50", "3", "24.95", "20"),
    ("BS-M10-NYL", "Nyloc nut M10 stainless A2, box of 100", "3", "14.20", "20"),
    ("BS-ANC-12", "Sleeve anchor 12 x 100, box of 25", "4", "18.75", "20"),
    ("BS-THR-M12", "Threaded rod M12 x 1 m, grade 8.8", "20", "3.49", "20"),
    ("BS-CS-4X40", "Countersunk wood screw 4 x 40, box of 200", "10", "5.60", "20"),
    ("BS-RIV-48", "Blind rivet 4.8 x 12 aluminium, box of 500", "2", "21.30", "20"),
    ("BS-SPR-M6", "Spring washer M6, box of 1000", "1", "11.95", "20"),
    ("BS-EYE-M8", "Eye bolt M8 forged, DIN 580", "12", "2.85", "20"),
    ("BS-CLIP-25", "Hose clip 16-25 mm stainless W4, pack of 10", "6", "7.40", "20"),
    ("BS-TAP-SET", "HSS tap and die set M3-M12, 32 pieces", "1", "89.00", "20"),
    ("BS-PIW-12", "Pneumatic impact wrench 1/2 in. kit", "1", "1249.00", "20"),
    ("BS-DRL-HSS", "HSS-G drill bit set 1-13 mm, 25 pieces", "2", "34.50", "20"),
    ("BS-GLV-L", "Nitrile work gloves size L, pack of 12 pairs", "3", "16.80", "20"),
    ("BS-BOOK-24", "Fastener reference catalogue 2024", "1", "0.00", "0"),
    ("BS-DEL", "Delivery, next working day", "1", "9.95", "20"),
]

LINES_PER_PAGE = 12
LEFT, RIGHT = 50, 545
COLUMNS = {"code": LEFT, "description": 130, "qty": 385, "price": 445, "vat": 485, "amount": RIGHT}


def money(value: Decimal) -> str:
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def line_amounts(items) -> list[Decimal]:
    return [(Decimal(qty) * Decimal(price)).quantize(CENT, rounding=ROUND_HALF_UP) for _, _, qty, price, _ in items]


def totals(items) -> tuple[Decimal, Decimal, Decimal]:
    """Untaxed, VAT and total as the invoice prints them (VAT per line, summed)."""
    amounts = line_amounts(items)
    untaxed = sum(amounts, Decimal(0))
    vat = sum(
        (amount * Decimal(item[4]) / 100 for amount, item in zip(amounts, items, strict=True)),
        Decimal(0),
    ).quantize(CENT, rounding=ROUND_HALF_UP)
    return untaxed, vat, untaxed + vat


def draw_bolt_invoice(path, items=ITEMS, header=HEADER, lines_per_page=LINES_PER_PAGE) -> None:
    """An invoice whose item table continues over as many pages as the items need."""
    pages = [items[i : i + lines_per_page] for i in range(0, len(items), lines_per_page)] or [[]]
    canvas = Canvas(str(path), pagesize=A4, invariant=1)
    canvas.setTitle(f"Invoice {header['invoice_number']}")
    canvas.setAuthor(header["supplier"])
    amounts = iter(line_amounts(items))
    for number, page_items in enumerate(pages, start=1):
        if number == 1:
            y = _first_page_head(canvas, header)
        else:
            y = _continued_page_head(canvas, header)
        y = _table_head(canvas, y)
        for code, description, qty, price, vat in page_items:
            canvas.setFont("Helvetica", 9)
            canvas.drawString(COLUMNS["code"], y, code)
            canvas.drawString(COLUMNS["description"], y, description)
            canvas.drawRightString(COLUMNS["qty"], y, qty)
            canvas.drawRightString(COLUMNS["price"], y, money(Decimal(price)))
            canvas.drawRightString(COLUMNS["vat"], y, f"{vat}%")
            canvas.drawRightString(COLUMNS["amount"], y, money(next(amounts)))
            y -= 16
        if number == len(pages):
            _totals(canvas, y - 10, items)
        else:
            canvas.setFont("Helvetica-Oblique", 8)
            canvas.drawRightString(RIGHT, y - 6, "continued on next page")
        _footer(canvas, header, number, len(pages))
        canvas.showPage()
    canvas.save()


def _first_page_head(canvas, header) -> float:
    canvas.setFont("Helvetica-Bold", 18)
    canvas.drawString(LEFT, 790, header["supplier"].upper())
    canvas.setFont("Helvetica", 9)
    y = 774
    for text in header["address"] + [f"VAT Reg. No.: {header['vat']}", header["email"]]:
        canvas.drawString(LEFT, y, text)
        y -= 12
    canvas.setFont("Helvetica-Bold", 16)
    canvas.drawRightString(RIGHT, 790, "INVOICE")
    canvas.setFont("Helvetica", 9)
    details = [
        ("Invoice No:", header["invoice_number"]),
        ("Invoice Date:", header["issue_date"]),
        ("Due Date:", header["due_date"]),
        ("Your Order:", header["po_reference"]),
    ]
    y = 770
    for label, value in details:
        canvas.drawString(390, y, label)
        canvas.drawRightString(RIGHT, y, value)
        y -= 12
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(LEFT, 690, "Invoice to:")
    canvas.setFont("Helvetica", 9)
    y = 678
    for text in header["customer"] + [f"VAT: {header['customer_vat']}"]:
        canvas.drawString(LEFT, y, text)
        y -= 12
    return 610


def _continued_page_head(canvas, header) -> float:
    canvas.setFont("Helvetica-Bold", 10)
    canvas.drawString(LEFT, 800, header["supplier"])
    canvas.setFont("Helvetica", 9)
    canvas.drawRightString(RIGHT, 800, f"Invoice {header['invoice_number']} (continued)")
    return 770


def _table_head(canvas, y) -> float:
    canvas.setFont("Helvetica-Bold", 9)
    canvas.drawString(COLUMNS["code"], y, "Code")
    canvas.drawString(COLUMNS["description"], y, "Description")
    canvas.drawRightString(COLUMNS["qty"], y, "Qty")
    canvas.drawRightString(COLUMNS["price"], y, "Unit Price")
    canvas.drawRightString(COLUMNS["vat"], y, "VAT")
    canvas.drawRightString(COLUMNS["amount"], y, "Net Amount")
    canvas.line(LEFT, y - 4, RIGHT, y - 4)
    return y - 18


def _totals(canvas, y, items) -> None:
    untaxed, vat, total = totals(items)
    canvas.line(390, y + 6, RIGHT, y + 6)
    rows = [("Subtotal", money(untaxed)), ("VAT", money(vat)), ("Total GBP", money(total))]
    for label, value in rows:
        canvas.setFont("Helvetica-Bold" if label.startswith("Total") else "Helvetica", 9)
        canvas.drawString(390, y - 8, label)
        canvas.drawRightString(RIGHT, y - 8, value)
        y -= 14
    canvas.setFont("Helvetica", 8)
    canvas.drawString(LEFT, y - 20, "Payment terms: 30 days net. Please quote the invoice number with your payment.")
    bank = "Bank: Northern Commerce Bank, Sort code 40-11-62, IBAN GB33 NCBK 4011 6212 3456 78"
    canvas.drawString(LEFT, y - 32, bank)


def _footer(canvas, header, number, count) -> None:
    canvas.setFont("Helvetica", 7)
    canvas.line(LEFT, 50, RIGHT, 50)
    canvas.drawString(LEFT, 40, f"{header['supplier']} - Registered in England and Wales No. 04512345")
    canvas.drawRightString(RIGHT, 40, f"Page {number} of {count}")


def main(argv=None) -> int:
    target = Path((argv or sys.argv[1:] or [SAMPLE_PDF])[0])
    draw_bolt_invoice(target)
    print(f"wrote {target} ({target.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
