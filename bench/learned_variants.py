#!/usr/bin/env python3
"""Learned supplier layouts on the supplier's *next* bills: more lines, a second page, other values.

``learned_accuracy.py`` learns from the first file of each corpus family and
reads the others, but a family's files are much alike.  A supplier's next
bill differs: 1 to 25 item lines, a table that spills onto a second page,
another customer address length, other amounts, a purchase order reference
or none.  This bench draws (reportlab) eight supplier layouts in English,
German, French and Dutch, each with its own conventions (labels left of
values, a block of ``key: value``, a row of titles over the values, totals
as a column of labels or a row of titles; ``1,234.56``, ``1.234,56``,
``1 234,56``; day-first, month-first and month-name dates), learns each
from its first bill (``learn.learn_file``, as ``invoice-import learn`` does,
with the bill's true values as the confirmed ones) and reads the next bills
with the learned format and without it (the template-free reader)::

    python3 bench/learned_variants.py [--seed N] [--bills N] [--scan] [--jobs N] [--keep DIR] [-v]

``--scan`` prints and scans every bill (``extraction_accuracy.scanned_tiff``:
150 dpi, slight rotation, noise, dust) and learns and reads through OCR,
as a supplier's paper bills arrive; tesseract's answers are cached in
``bench/out/ocr-cache``.  ``--keep DIR`` writes the drawn PDFs, their true
values and the learned formats there.  Fields scored are
``extraction_accuracy.py``'s, with its comparison rules.  No value here is
taken from a corpus file: the layouts, words and values are generated from
the seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import logging
import os
import platform
import random
import sys
import tempfile
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from extraction_accuracy import (  # noqa: E402
    SCORED_FIELDS,
    ScanSettings,
    comparable,
    install_ocr_cache,
    scanned_tiff,
    verdict,
)

from invoice_import.engine.errors import ExtractionError  # noqa: E402
from invoice_import.engine.extract import extract_bytes  # noqa: E402
from invoice_import.engine.formats import load_format  # noqa: E402
from invoice_import.engine.learn import document_pages, learn_format  # noqa: E402
from invoice_import.engine.limits import Limits  # noqa: E402
from invoice_import.engine.pivot import Invoice  # noqa: E402

BENCH_LIMITS = Limits(max_seconds=1800.0)
CENT = Decimal("0.01")
OCR_DPI = 200

# ----------------------------------------------------------------------------- the suppliers

WORDS = {
    "en": {
        "customer": "Customer No.", "delivery": "Delivery Date", "code": "Item",
        "title": "INVOICE", "number": "Invoice No.", "date": "Invoice Date", "due": "Due Date", "po": "PO Number",
        "desc": "Description", "qty": "Qty", "price": "Unit Price", "amount": "Amount", "rate": "VAT",
        "untaxed": "Subtotal", "tax": "VAT", "total": "Total", "page": "Page", "bill_to": "Bill to",
        "vat": "VAT No.", "continued": "continued", "terms": "Payment within {days} days.",
        "items": ["Consulting hours", "Steel brackets M8", "Cable ties 200 mm", "Site visit", "Safety gloves",
                  "Copper pipe 15 mm", "LED panel 60x60", "Maintenance contract", "Printer toner", "Wall plugs"],
    },
    "de": {
        "customer": "Kundennummer", "delivery": "Lieferdatum", "code": "Art.-Nr.",
        "title": "RECHNUNG", "number": "Rechnungsnummer", "date": "Rechnungsdatum", "due": "Fällig am",
        "po": "Bestellnummer", "desc": "Bezeichnung", "qty": "Menge", "price": "Einzelpreis", "amount": "Betrag",
        "rate": "USt.", "untaxed": "Nettobetrag", "tax": "zzgl. USt.", "total": "Gesamtbetrag", "page": "Seite",
        "bill_to": "Rechnungsempfänger", "vat": "USt-IdNr.", "continued": "Fortsetzung",
        "terms": "Zahlbar innerhalb von {days} Tagen ohne Abzug.",
        "items": ["Beratungsstunden", "Winkelverbinder M8", "Kabelbinder 200 mm", "Anfahrtspauschale",
                  "Schutzhandschuhe", "Kupferrohr 15 mm", "LED-Panel 60x60", "Wartungsvertrag", "Tonerkartusche",
                  "Dübel 8 mm"],
    },
    "fr": {
        "customer": "Code client", "delivery": "Date de livraison", "code": "Réf.",
        "title": "FACTURE", "number": "Facture N°", "date": "Date", "due": "Échéance", "po": "Réf. commande",
        "desc": "Désignation", "qty": "Qté", "price": "Prix unitaire HT", "amount": "Montant HT", "rate": "TVA",
        "untaxed": "Total HT", "tax": "TVA", "total": "Total TTC", "page": "Page", "bill_to": "Client",
        "vat": "N° TVA", "continued": "suite", "terms": "Paiement à {days} jours.",
        "items": ["Heures de conseil", "Équerres acier M8", "Colliers de serrage", "Déplacement", "Gants de sécurité",
                  "Tube cuivre 15 mm", "Dalle LED 60x60", "Contrat de maintenance", "Toner imprimante", "Chevilles"],
    },
    "nl": {
        "customer": "Klantnummer", "delivery": "Leverdatum", "code": "Art.nr.",
        "title": "FACTUUR", "number": "Factuurnummer", "date": "Factuurdatum", "due": "Vervaldatum",
        "po": "Uw referentie", "desc": "Omschrijving", "qty": "Aantal", "price": "Prijs", "amount": "Bedrag",
        "rate": "BTW", "untaxed": "Subtotaal", "tax": "BTW", "total": "Totaal", "page": "Pagina",
        "bill_to": "Factuuradres", "vat": "BTW-nr.", "continued": "vervolg", "terms": "Betaling binnen {days} dagen.",
        "items": ["Adviesuren", "Stalen beugels M8", "Kabelbinders 200 mm", "Voorrijkosten", "Werkhandschoenen",
                  "Koperbuis 15 mm", "LED-paneel 60x60", "Onderhoudscontract", "Toner", "Pluggen 8 mm"],
    },
}  # fmt: skip

MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
}

# Each supplier: language, VAT country, currency and how it prints them; ``header``: "right" (label and value
# on one line), "colon" (``label: value`` block at the top right), "titles" (a row of titles over the values);
# ``totals``: "column" (labels left of the amounts) or "row" (a row of titles over the amounts).
SUPPLIERS = [
    {"name": "Northwind Supplies Ltd", "lang": "en", "country": "GB", "currency": "GBP", "symbol": "£",
     "number": "INV-{year}-{n:04d}", "dates": "%d/%m/%Y", "decimal": ".", "group": ",", "header": "right",
     "totals": "column", "rate": 20, "terms": 30, "supplier_at": "top", "po": 0.7,
     "labels": {"number": "Document", "date": "Tax point", "due": "Payment due by"}},
    {"name": "Muster Werkzeuge GmbH", "lang": "de", "country": "DE", "currency": "EUR", "symbol": "€",
     "number": "RE{n:06d}", "dates": "%d.%m.%Y", "decimal": ",", "group": ".", "header": "colon",
     "totals": "column", "rate": 19, "rates": [19, 19, 7], "terms": 14, "supplier_at": "footer", "po": 0.5},
    {"name": "Atelier Durand SARL", "lang": "fr", "country": "FR", "currency": "EUR", "symbol": "€",
     "number": "F{year}-{n:05d}", "dates": "%d/%m/%Y", "decimal": ",", "group": " ", "header": "titles",
     "totals": "row", "rate": 20, "terms": 45, "supplier_at": "top", "po": 0.6},
    {"name": "Van Dijk Techniek B.V.", "lang": "nl", "country": "NL", "currency": "EUR", "symbol": "€",
     "number": "{year}{n:05d}", "dates": "%d-%m-%Y", "decimal": ",", "group": ".", "header": "colon",
     "totals": "column", "rate": 21, "terms": 30, "supplier_at": "top", "po": 0.5},
    {"name": "Brightline Systems Inc.", "lang": "en", "country": None, "currency": "USD", "symbol": "$",
     "number": "{n:06d}", "dates": "%m/%d/%Y", "decimal": ".", "group": ",", "header": "titles",
     "totals": "column", "rate": 8, "terms": 30, "supplier_at": "top", "po": 0.8,
     "labels": {"number": "Invoice ID", "date": "Issued", "due": "Pay by", "po": "Your order",
                "total": "Amount payable",                 "untaxed": "Net", "tax": "Sales tax"}},
    {"name": "Schmidt & Partner KG", "lang": "de", "country": "DE", "currency": "EUR", "symbol": "EUR",
     "number": "{year}-{n:04d}", "dates": "month", "decimal": ",", "group": ".", "header": "right",
     "totals": "row", "rate": 7, "terms": 10, "supplier_at": "footer", "po": 0.0,
     "labels": {"number": "Beleg-Nr.", "date": "Datum", "due": "Zahlungsziel", "total": "Zu zahlen", "untaxed": "Netto",
                "tax": "MwSt."}},
    {"name": "Services Lefèvre SAS", "lang": "fr", "country": "FR", "currency": "EUR", "symbol": "EUR",
     "number": "FA-{n:05d}", "dates": "%d.%m.%Y", "decimal": ",", "group": ".", "header": "colon",
     "totals": "column", "rate": 20, "terms": 30, "supplier_at": "footer", "po": 0.5,
     "labels": {"number": "Pièce n°", "date": "Émise le", "due": "À régler avant le", "total": "Net à payer",
                "untaxed": "Montant HT", "tax": "TVA"}},
    {"name": "Brouwer Logistics B.V.", "lang": "nl", "country": "NL", "currency": "EUR", "symbol": "€",
     "number": "BL/{year}/{n:04d}", "dates": "month", "decimal": ",", "group": ".", "header": "titles",
     "totals": "row", "rate": 21, "rates": [21, 21, 9], "terms": 21, "supplier_at": "top", "po": 0.6,
     "labels": {"number": "Documentnr.", "date": "Datum", "due": "Te betalen vóór", "total": "Te betalen",
                "untaxed": "Netto", "tax": "BTW"}},
]  # fmt: skip

CUSTOMER = ["Kestrel Engineering Ltd", "Unit 4, Harbour Park", "Leeds LS1 4AB", "United Kingdom"]


def vat_number(country: str, rng: random.Random) -> str:
    """A VAT number of ``country`` whose check digits hold (python-stdnum validates random candidates)."""
    from stdnum import get_cc_module

    vat = get_cc_module(country.lower(), "vat")
    digits = {"GB": 9, "DE": 9, "FR": 11, "NL": 9}[country]
    while True:
        body = "".join(rng.choice("0123456789") for _ in range(digits))
        if body[0] == "0":
            continue
        candidate = f"{country}{body}" + ("B01" if country == "NL" else "")
        if vat.is_valid(candidate):
            return candidate


# ----------------------------------------------------------------------------- one bill's values


def money(amount: Decimal, supplier: dict) -> str:
    """The amount as the supplier prints it: its decimal mark and grouping."""
    whole, cents = f"{abs(amount):.2f}".split(".")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    text = supplier["group"].join(groups) + supplier["decimal"] + cents
    return ("-" if amount < 0 else "") + text


def date_text(day: dt.date, supplier: dict) -> str:
    if supplier["dates"] == "month":
        month = MONTHS[supplier["lang"]].split()[day.month - 1]
        return f"{day.day}. {month} {day.year}" if supplier["lang"] == "de" else f"{day.day} {month} {day.year}"
    return day.strftime(supplier["dates"])


def bill_values(supplier: dict, number: int, rng: random.Random, lines: int) -> dict:
    """One bill: its item lines, totals that add up, dates, number and purchase order reference."""
    words = WORDS[supplier["lang"]]
    items = []
    for _ in range(lines):
        code = rng.randint(1000, 99999)
        quantity = rng.choice([1, 1, 2, 3, 5, 10, 12, 25])
        price = Decimal(rng.randint(150, 250000)) / 100
        rate = rng.choice(supplier["rates"]) if "rates" in supplier else supplier["rate"]
        items.append((rng.choice(words["items"]), quantity, price, (price * quantity).quantize(CENT), code, rate))
    untaxed = sum((item[3] for item in items), Decimal("0"))
    taxes = {}  # rate -> tax: one row per rate on the bill (a supplier with a reduced rate prints two)
    for rate in sorted({item[5] for item in items}, reverse=True):
        base = sum((item[3] for item in items if item[5] == rate), Decimal("0"))
        taxes[rate] = (base * rate / 100).quantize(CENT, ROUND_HALF_UP)
    tax = sum(taxes.values(), Decimal("0"))
    issue = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randint(0, 300))
    year = issue.year
    return {
        "invoice_number": supplier["number"].format(year=year, n=number),
        "issue_date": issue,
        "due_date": issue + dt.timedelta(days=supplier["terms"]),
        "po_reference": f"PO-{rng.randint(10000, 99999)}" if rng.random() < supplier["po"] else None,
        "items": items,
        "untaxed": untaxed,
        "tax": tax,
        "taxes": taxes,
        "total": untaxed + tax,
        "customer_lines": CUSTOMER[: rng.randint(2, 4)],
        "customer_number": str(rng.randint(10000, 99999)),
        "delivery_date": issue - dt.timedelta(days=rng.randint(1, 12)),
    }


def expected_of(supplier: dict, bill: dict) -> dict:
    """The bill's true values in the shared corpora's ``.expected.json`` names."""
    return {
        "invoice_number": bill["invoice_number"],
        "issue_date": bill["issue_date"].isoformat(),
        "due_date": bill["due_date"].isoformat(),
        "amount_total": str(bill["total"]),
        "amount_untaxed": str(bill["untaxed"]),
        "amount_tax": str(bill["tax"]),
        "currency": supplier["currency"],
        "seller_name": supplier["name"],
        "seller_vat": supplier.get("vat"),
        "po_reference": bill["po_reference"],
        "buyer_name": CUSTOMER[0],
        "type_code": "380",
        "line_count": len(bill["items"]),
    }


def confirmed_values(expected: dict) -> dict:
    """What a user confirms for the first bill (``invoice-import learn``'s VALUES.json)."""
    keys = ("invoice_number", "issue_date", "due_date", "currency", "amount_total", "amount_untaxed", "amount_tax")
    keys += ("po_reference",)
    values = {key: expected[key] for key in keys}
    values["supplier"] = {"name": expected["seller_name"], "vat": expected["seller_vat"]}
    return values


# ----------------------------------------------------------------------------- drawing


class Sheet:
    """A reportlab canvas with the page's running header and footer, a new page when the table is full."""

    TOP, BOTTOM, LEFT, RIGHT = 800, 90, 50, 545

    def __init__(self, supplier: dict, bill: dict):
        from reportlab.lib.pagesizes import A4
        from reportlab.pdfgen import canvas

        self.buffer = io.BytesIO()
        self.canvas = canvas.Canvas(self.buffer, pagesize=A4)
        self.supplier, self.bill = supplier, bill
        self.words = {**WORDS[supplier["lang"]], **supplier.get("labels", {})}
        self.page = 1
        self.y = self.TOP

    def text(self, x, y, text, size=9, bold=False, right=False):
        self.canvas.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        (self.canvas.drawRightString if right else self.canvas.drawString)(x, y, text)

    def footer(self):
        supplier, words = self.supplier, self.words
        parts = [supplier["name"], supplier["street"], supplier["city"]]
        if supplier.get("vat"):
            parts.append(f"{words['vat']} {supplier['vat']}")
        self.text(self.LEFT, 50, "  ·  ".join(parts), size=7)
        self.text(self.RIGHT, 38, f"{words['page']} {self.page}", size=7, right=True)

    def new_page(self):
        self.footer()
        self.canvas.showPage()
        self.page += 1
        self.text(
            self.LEFT, self.TOP, f"{self.words['title']} {self.bill['invoice_number']} ({self.words['continued']})"
        )
        self.y = self.TOP - 30

    def need(self, height):
        if self.y - height < self.BOTTOM:
            self.new_page()
            return True
        return False

    def finish(self) -> bytes:
        self.footer()
        self.canvas.save()
        return self.buffer.getvalue()


def draw_bill(supplier: dict, bill: dict) -> bytes:
    sheet = Sheet(supplier, bill)
    draw_parties(sheet)
    draw_header(sheet)
    draw_items(sheet)
    draw_totals(sheet)
    sheet.need(30)
    sheet.text(sheet.LEFT, sheet.y - 20, sheet.words["terms"].format(days=supplier["terms"]), size=8)
    return sheet.finish()


def draw_parties(sheet: Sheet):
    supplier, words, bill = sheet.supplier, sheet.words, sheet.bill
    if supplier["supplier_at"] == "top":
        sheet.text(sheet.LEFT, sheet.TOP, supplier["name"], size=14, bold=True)
        sheet.text(sheet.LEFT, sheet.TOP - 16, f"{supplier['street']}, {supplier['city']}", size=8)
        if supplier.get("vat"):
            sheet.text(sheet.LEFT, sheet.TOP - 27, f"{words['vat']} {supplier['vat']}", size=8)
    else:  # the name as a logo line, the legal details in the footer only
        sheet.text(sheet.LEFT, sheet.TOP, supplier["name"].upper(), size=16, bold=True)
    y = sheet.TOP - 70
    sheet.text(sheet.LEFT, y, words["bill_to"], size=8, bold=True)
    for line in bill["customer_lines"]:
        y -= 12
        sheet.text(sheet.LEFT, y, line)
    sheet.y = y - 30


def header_fields(sheet: Sheet) -> list[tuple[str, str]]:
    supplier, words, bill = sheet.supplier, sheet.words, sheet.bill
    fields = [
        (words["number"], bill["invoice_number"]),
        (words["customer"], bill["customer_number"]),
        (words["delivery"], date_text(bill["delivery_date"], supplier)),
        (words["date"], date_text(bill["issue_date"], supplier)),
        (words["due"], date_text(bill["due_date"], supplier)),
    ]
    if bill["po_reference"]:
        fields.append((words["po"], bill["po_reference"]))
    return fields


def draw_header(sheet: Sheet):
    style, fields = sheet.supplier["header"], header_fields(sheet)
    if style == "titles":  # a row of titles, the values under them
        sheet.text(sheet.LEFT, sheet.y, sheet.words["title"], size=16, bold=True)
        y = sheet.y - 28
        width = (sheet.RIGHT - sheet.LEFT) / len(fields)
        for column, (label, value) in enumerate(fields):
            sheet.text(sheet.LEFT + width * column, y, label, size=8, bold=True)
            sheet.text(sheet.LEFT + width * column, y - 13, value, size=8)
        sheet.y = y - 40
        return
    # a block at the top right, beside the customer's address: "label value" or "label: value"
    sheet.text(sheet.RIGHT, sheet.TOP - 70, sheet.words["title"], size=16, bold=True, right=True)
    y = sheet.TOP - 92
    for label, value in fields:
        if style == "colon":
            sheet.text(340, y, f"{label}:", size=9)
            sheet.text(440, y, value)
        else:
            sheet.text(340, y, label, size=9, bold=True)
            sheet.text(sheet.RIGHT, y, value, right=True)
        y -= 13
    sheet.y = min(sheet.y, y - 20)


COLUMNS = (("desc", 50, False), ("qty", 300, True), ("price", 380, True), ("rate", 440, True), ("amount", 545, True))


def draw_table_head(sheet: Sheet):
    for key, x, right in COLUMNS:
        sheet.text(x, sheet.y, sheet.words[key], size=8, bold=True, right=right)
    sheet.canvas.line(sheet.LEFT, sheet.y - 4, sheet.RIGHT, sheet.y - 4)
    sheet.y -= 16


def draw_items(sheet: Sheet):
    supplier = sheet.supplier
    draw_table_head(sheet)
    for description, quantity, price, amount, code, rate in sheet.bill["items"]:
        if sheet.need(24):
            draw_table_head(sheet)
        cells = (description, str(quantity), money(price, supplier), f"{rate} %", money(amount, supplier))
        for (_key, x, right), cell in zip(COLUMNS, cells, strict=True):
            sheet.text(x, sheet.y, cell, right=right)
        sheet.text(sheet.LEFT + 8, sheet.y - 10, f"{sheet.words['code']} {code}", size=7)
        sheet.y -= 24


def draw_totals(sheet: Sheet):
    supplier, words, bill = sheet.supplier, sheet.words, sheet.bill
    unit = supplier["symbol"]
    rows = [(words["untaxed"], bill["untaxed"])]
    rows += [(f"{words['tax']} {rate} %", tax) for rate, tax in bill["taxes"].items()]
    rows.append((f"{words['total']} {supplier['currency']}", bill["total"]))
    if supplier["totals"] == "row":  # titles over the amounts
        sheet.need(50)
        y = sheet.y - 20
        for column, (label, amount) in enumerate(rows):
            x = 490 - 95 * (len(rows) - 1 - column)
            sheet.text(x + 80, y, label, size=8, bold=True, right=True)
            sheet.text(x + 80, y - 13, f"{money(amount, supplier)} {unit}", right=True, bold=column == len(rows) - 1)
        sheet.y = y - 30
        return
    sheet.need(60)
    y = sheet.y - 20
    for label, amount in rows:
        sheet.text(360, y, label, bold=label.startswith(words["total"]))
        printed = f"{unit} {money(amount, supplier)}" if unit in "£$" else f"{money(amount, supplier)} {unit}"
        sheet.text(sheet.RIGHT, y, printed, right=True)
        y -= 14
    sheet.y = y - 6


# ----------------------------------------------------------------------------- the run


def make_suppliers(seed: int) -> list[dict]:
    rng = random.Random(seed)
    streets = ["Mill Lane 12", "Hauptstraße 8", "12 rue des Lilas", "Kerkstraat 41", "400 Pine Street"]
    cities = ["Bristol BS1 5AA", "70173 Stuttgart", "69002 Lyon", "3511 LX Utrecht", "Denver, CO 80202"]
    suppliers = []
    for spec in SUPPLIERS:
        supplier = dict(spec)
        choice = rng.randrange(len(streets))
        supplier["street"], supplier["city"] = streets[choice], cities[choice]
        supplier["vat"] = vat_number(spec["country"], rng) if spec["country"] else None
        suppliers.append(supplier)
    return suppliers


def bills_of(supplier: dict, seed: int, count: int) -> list[dict]:
    """The supplier's bills in order: the first one to learn from (a few lines), then 1 to 25 lines each."""
    rng = random.Random(f"{seed}:{supplier['name']}")
    start = rng.randint(10, 900)
    bills = [bill_values(supplier, start, rng, rng.randint(2, 4))]
    for index in range(1, count):
        lines = rng.choice([1, 2, 3, 5, 8, 12, 18, 25]) if index > 1 else 25
        bills.append(bill_values(supplier, start + index * rng.randint(1, 30), rng, lines))
    return bills


def as_file(pdf: bytes, name: str, scan: bool) -> tuple[bytes, str]:
    """The bill as received: the PDF itself, or with ``--scan`` its printed and scanned pages as a TIFF."""
    if not scan:
        return pdf, name + ".pdf"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / (name + ".pdf")  # the scan's noise is seeded by the file name: the same every run
        path.write_bytes(pdf)
        return scanned_tiff(path, OCR_DPI, ScanSettings()), name + ".tif"


def learn(data: bytes, filename: str, values: dict, workdir: Path):
    """The learned format for the first bill, and its JSON file (``invoice-import learn``'s output)."""
    pages = document_pages(data, filename, BENCH_LIMITS)
    template, _report = learn_format(pages, values, document=filename)
    out = workdir / (Path(filename).stem + ".format.json")
    out.write_text(json.dumps(template.to_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return load_format(str(out)), out


def read(data: bytes, filename: str, fmt) -> Invoice:
    try:
        formats = [fmt] if fmt is not None else []
        return extract_bytes(data, filename=filename, formats=formats, ignore_embedded_xml=True, limits=BENCH_LIMITS)
    except ExtractionError as exc:
        print(f"{filename}: {exc.code}: {exc.message}", file=sys.stderr)
        return None


def run_supplier(supplier: dict, args, workdir: Path) -> dict:
    """Learn from the supplier's first bill, read the next ones learned and template-free; the tallies."""
    bills = bills_of(supplier, args.seed, args.bills + 1)
    slug = "".join(ch for ch in supplier["name"].lower() if ch.isalnum())[:16]
    files = []
    for index, bill in enumerate(bills):
        pdf = draw_bill(supplier, bill)
        expected = expected_of(supplier, bill)
        name = f"{slug}__{index:02d}"
        if args.keep:
            (args.keep / f"{name}.pdf").write_bytes(pdf)
            (args.keep / f"{name}.expected.json").write_text(json.dumps(expected, indent=2))
        files.append((*as_file(pdf, name, args.scan), expected, bill))
    result = {"supplier": supplier["name"], "learned": defaultdict(lambda: [0, 0]), "free": defaultdict(lambda: [0, 0])}
    result["misses"], result["warnings"] = [], []
    data, filename, expected, _bill = files[0]
    try:
        fmt, _path = learn(data, filename, confirmed_values(expected), args.keep or workdir)
    except ExtractionError as exc:
        result["misses"].append(f"learning from {filename} failed: {exc.code}: {exc.message}")
        fmt = None
    for data, filename, expected, bill in files[1:]:
        for mode, used in (("learned", fmt), ("free", None)):
            result_of = read(data, filename, used)
            invoice = result_of.invoices[0] if result_of else Invoice()
            exp, got = comparable(invoice, expected)
            for name in SCORED_FIELDS:
                kind = verdict(name, exp[name], got[name])
                if kind == "null-agree":
                    continue
                right = kind == "right"
                result[mode][name][0] += right
                result[mode][name][1] += 1
                if not right and mode == "learned":
                    pages = "" if len(bill["items"]) < 20 else " (2 pages)"
                    result["misses"].append(f"{filename}{pages}: {name}: expected {exp[name]} got {got[name]}")
            if mode == "learned":
                result["warnings"].extend(f"{filename}: {warning}" for warning in invoice.warnings)
    return result


def cell(pair) -> str:
    right, scored = pair
    return f"{right}/{scored} {100.0 * right / scored:5.1f}%" if scored else "-"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=1, help="draws other suppliers' numbers and other bills")
    parser.add_argument("--bills", type=int, default=6, help="next bills read per supplier (after the first)")
    parser.add_argument("--scan", action="store_true", help="print and scan every bill, read through OCR")
    parser.add_argument("--jobs", type=int, default=1, help="suppliers read in parallel threads")
    parser.add_argument("--keep", type=Path, help="write the bills, their true values and the learned formats here")
    parser.add_argument("--supplier", help="only the suppliers whose name contains this")
    parser.add_argument("-v", "--verbose", action="store_true", help="list every miss of the learned formats")
    args = parser.parse_args(argv)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
    if args.scan:
        install_ocr_cache(True)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, load {load:.1f}")
    suppliers = [
        s for s in make_suppliers(args.seed) if not args.supplier or args.supplier.lower() in s["name"].lower()
    ]
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp, ThreadPoolExecutor(max_workers=args.jobs) as pool:
        results = list(pool.map(lambda supplier: run_supplier(supplier, args, Path(tmp)), suppliers))
    elapsed = time.perf_counter() - started
    path = "scans (OCR)" if args.scan else "text PDFs"
    print(f"\n== {len(suppliers)} suppliers, {args.bills} next bills each, seed {args.seed}, {path} ==")
    print(f"{'field':<16}{'learned':>18}{'template-free':>18}")
    totals = {mode: defaultdict(lambda: [0, 0]) for mode in ("learned", "free")}
    for result in results:
        for mode in totals:
            for name, (right, scored) in result[mode].items():
                totals[mode][name][0] += right
                totals[mode][name][1] += scored
    for name in SCORED_FIELDS:
        print(f"{name:<16}{cell(totals['learned'][name]):>18}{cell(totals['free'][name]):>18}")
    overall = {mode: [sum(v[0] for v in t.values()), sum(v[1] for v in t.values())] for mode, t in totals.items()}
    print(f"{'overall':<16}{cell(overall['learned']):>18}{cell(overall['free']):>18}")
    print(f"\n{'supplier':<28}{'learned':>18}{'template-free':>18}")
    for result in results:
        pair = {mode: [sum(v[0] for v in result[mode].values()), sum(v[1] for v in result[mode].values())]
                for mode in ("learned", "free")}  # fmt: skip
        print(f"{result['supplier']:<28}{cell(pair['learned']):>18}{cell(pair['free']):>18}")
    if args.verbose:
        for result in results:
            for miss in result["misses"]:
                print("    " + miss)
    print(f"\ntime: {elapsed:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
