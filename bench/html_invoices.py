#!/usr/bin/env python3
"""Accuracy of the template-free reader on invoices printed from HTML by a browser engine.

Many suppliers' systems write the invoice as an HTML page and print it to
PDF (WeasyPrint, headless Chrome, wkhtmltopdf): CSS layout, header tables
with the labels in ``<th>`` and the values in ``<td>`` under them,
definition lists, boxes of key/value rows.  The text layer those engines
write is what a reader meets on such pages, and each engine writes its own:
WeasyPrint (pango) places words and spaces unlike Chromium (skia).  This
bench draws made-up invoices in those layouts, in six languages, prints
each with the installed Chromium, WeasyPrint (the ``test`` extra of
``setup.py``) or both, and reads it through the product's entry point,
scoring the fields of ``extraction_accuracy``::

    python3 bench/html_invoices.py [--seed N] [--n COUNT] [--engine chromium|weasyprint|both] [--cache DIR] [-v]

Values, sellers and layouts are drawn from ``--seed``; the pages are
printed once per content and kept in ``--cache`` (printing is slow).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import html
import random
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from extraction_accuracy import SCORED_FIELDS, comparable, verdict  # noqa: E402

from invoice_import.engine.errors import ExtractionError  # noqa: E402
from invoice_import.engine.extract import extract_bytes  # noqa: E402
from invoice_import.engine.pivot import Invoice  # noqa: E402

LANGUAGES = {
    "en": {
        "empty": ("Project reference", "Contract reference"), "sales_order": "Sales order reference",
        "title": "Invoice", "number": "Invoice number", "date": "Invoice date", "due": "Due date",
        "order": ("Your order", "PO number", "Purchase order", "Order reference"), "customer_no": "Customer no.",
        "vat": "VAT number", "net": "Subtotal", "tax": "VAT {rate}%", "total": "Total due",
        "item": "Description", "qty": "Qty", "price": "Unit price", "amount": "Amount", "bill_to": "Bill to",
        "from": "From", "thanks": "Thank you for your business. Please pay within 30 days.",
        "company": ("Ltd", "Limited"), "country": "GB", "currency": "GBP", "decimal": ".",
        "references": "References",
        "title_line": "Invoice No. {number} of {date}",
        "owned_orders": ("Order No. customer", "Order No. supplier"),
        "goods": ("Consulting services", "Cable set", "Maintenance visit", "Licence renewal"),
    },
    "de": {
        "empty": ("Projektnummer", "Vertragsnummer"), "sales_order": "Auftragsnummer",
        "title": "Rechnung", "number": "Rechnungsnummer", "date": "Rechnungsdatum", "due": "Fällig am",
        "order": ("Ihre Bestellung", "Bestellnummer", "Ihre Bestellnummer", "Bestell-Nr."), "customer_no": "Kunden-Nr.",
        "vat": "USt-IdNr.", "net": "Nettobetrag", "tax": "USt. {rate}%", "total": "Gesamtbetrag",
        "item": "Bezeichnung", "qty": "Menge", "price": "Einzelpreis", "amount": "Betrag",
        "bill_to": "Rechnungsempfänger", "from": "Absender",
        "thanks": "Vielen Dank für Ihren Auftrag. Zahlbar innerhalb von 14 Tagen.",
        "company": ("GmbH", "AG"), "country": "DE", "currency": "EUR", "decimal": ",",
        "references": "Referenzen",
        "title_line": "Rechnung Nr. {number} vom {date}",
        "owned_orders": ("Bestellung Nr. Kunde", "Auftrag Nr. Lieferant"),
        "goods": ("Wartungsarbeiten", "Kabelsatz", "Beratung", "Softwarelizenz"),
    },
    "fr": {
        "empty": ("Référence projet", "Référence contrat"), "sales_order": "Notre commande",
        "title": "Facture", "number": "Numéro de facture", "date": "Date de facture", "due": "Date d'échéance",
        "order": ("Votre commande", "N° de commande", "Bon de commande", "Référence commande"),
        "customer_no": "N° client", "vat": "N° TVA", "net": "Total HT", "tax": "TVA {rate}%", "total": "Total TTC",
        "item": "Désignation", "qty": "Qté", "price": "Prix unitaire", "amount": "Montant", "bill_to": "Facturé à",
        "from": "Émetteur", "thanks": "Merci de votre confiance. Paiement à 30 jours.",
        "company": ("SARL", "SAS"), "country": "FR", "currency": "EUR", "decimal": ",",
        "references": "Références",
        "title_line": "Facture N° {number} du {date}",
        "owned_orders": ("N° de commande client", "N° de commande fournisseur"),
        "goods": ("Prestation de conseil", "Jeu de câbles", "Maintenance", "Licence logicielle"),
    },
    "nl": {
        "empty": ("Projectnummer", "Contractnummer"), "sales_order": "Ons ordernummer",
        "title": "Factuur", "number": "Factuurnummer", "date": "Factuurdatum", "due": "Vervaldatum",
        "order": ("Uw bestelling", "Bestelnummer", "Inkoopordernummer", "Uw ordernummer"),
        "customer_no": "Klantnummer", "vat": "BTW-nummer", "net": "Subtotaal", "tax": "BTW {rate}%",
        "total": "Totaal te betalen", "item": "Omschrijving", "qty": "Aantal", "price": "Prijs", "amount": "Bedrag",
        "bill_to": "Factuuradres", "from": "Afzender",
        "thanks": "Bedankt voor uw bestelling. Betaling binnen 30 dagen.",
        "company": ("B.V.",), "country": "NL", "currency": "EUR", "decimal": ",",
        "references": "Referenties",
        "title_line": "Factuur nr. {number} van {date}",
        "owned_orders": ("Bestelnummer klant", "Ordernummer leverancier"),
        "goods": ("Advieswerk", "Kabelset", "Onderhoud", "Licentie"),
    },
    "es": {
        "empty": ("Referencia del proyecto", "Referencia del contrato"), "sales_order": "Nuestro pedido",
        "title": "Factura", "number": "Número de factura", "date": "Fecha de factura", "due": "Fecha de vencimiento",
        "order": ("Su pedido", "Número de pedido", "Nº de pedido", "Orden de compra"), "customer_no": "Nº cliente",
        "vat": "NIF", "net": "Base imponible", "tax": "IVA {rate}%", "total": "Total factura",
        "item": "Concepto", "qty": "Cantidad", "price": "Precio", "amount": "Importe", "bill_to": "Cliente",
        "from": "Emisor", "thanks": "Gracias por su confianza. Pago a 30 días.",
        "company": ("S.L.", "S.A."), "country": "ES", "currency": "EUR", "decimal": ",",
        "references": "Referencias",
        "title_line": "Factura Nº {number} de {date}",
        "owned_orders": ("Nº de pedido cliente", "Nº de pedido proveedor"),
        "goods": ("Servicios de consultoría", "Juego de cables", "Mantenimiento", "Licencia"),
    },
    "it": {
        "empty": ("Riferimento progetto", "Riferimento contratto"), "sales_order": "Nostro ordine",
        "title": "Fattura", "number": "Numero fattura", "date": "Data fattura", "due": "Data scadenza",
        "order": ("Vostro ordine", "Numero ordine", "Rif. ordine", "Ordine di acquisto"), "customer_no": "Cod. cliente",
        "vat": "Partita IVA", "net": "Imponibile", "tax": "IVA {rate}%", "total": "Totale documento",
        "item": "Descrizione", "qty": "Quantità", "price": "Prezzo", "amount": "Importo", "bill_to": "Destinatario",
        "from": "Mittente", "thanks": "Grazie per la fiducia. Pagamento a 30 giorni.",
        "company": ("S.r.l.", "S.p.A."), "country": "IT", "currency": "EUR", "decimal": ",",
        "references": "Riferimenti",
        "title_line": "Fattura N. {number} del {date}",
        "owned_orders": ("N. ordine cliente", "N. ordine fornitore"),
        "goods": ("Consulenza", "Set di cavi", "Manutenzione", "Licenza software"),
    },
}  # fmt: skip
RATES = {"en": 20, "de": 19, "fr": 20, "nl": 21, "es": 21, "it": 22}
FONTS = ("'DejaVu Sans', sans-serif", "'DejaVu Serif', serif", "'Liberation Sans', Arial, sans-serif")
NAME_PARTS = (("Birch", "Quill", "Harbor", "Vinter", "Lumen", "Orbis", "Kestrel", "Tamar"), ("Works", "Tech", "Supply"))
CSS = """
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; margin: 0; }
@page { size: A4; margin: 18mm; }
h1 { font-size: 20pt; margin: 0 0 6mm 0; }
.meta th { text-align: left; font-weight: bold; padding: 2px 12px 2px 0; color: #444; }
.meta td { padding: 2px 12px 2px 0; }
table.items { width: 100%; border-collapse: collapse; margin-top: 8mm; }
table.items th { border-bottom: 1px solid #000; text-align: left; padding: 3px; }
table.items td { padding: 3px; }
.num { text-align: right; }
.totals { margin-left: auto; margin-top: 5mm; }
.totals th { text-align: left; padding: 2px 18px 2px 0; }
.totals td { text-align: right; }
.cols { display: flex; justify-content: space-between; }
.box { border: 1px solid #999; padding: 3mm; width: 70mm; }
dl.meta { display: grid; grid-template-columns: auto auto; gap: 1mm 6mm; }
dl.stacked dt { font-size: 8pt; color: #666; text-transform: uppercase; }
dl.stacked dd { margin: 0 0 2mm 0; font-weight: bold; }
.cards { display: flex; gap: 4mm; margin: 4mm 0; }
.card { border: 1px solid #ccc; padding: 2mm 3mm; }
.card .label { font-size: 8pt; color: #666; }
.card .value { font-size: 11pt; }
footer { margin-top: 12mm; font-size: 8pt; color: #555; }
.twin { display: table; width: 100%; border-spacing: 4mm 0; }
.kv { display: table-cell; width: 50%; border: 1px solid #bbb; padding: 2mm; }
.kv div { display: table-row; }
.kv span { display: table-cell; padding: 1px 6px 1px 0; }
.kv span:first-child { color: #555; width: 42mm; }
dl.inline dt { float: left; clear: left; width: 62mm; white-space: nowrap; font-weight: bold; }
dl.inline dd { margin: 0 0 1mm 64mm; }
table.refs { border: 1px solid #999; border-collapse: collapse; margin-top: 4mm; }
table.refs th { text-align: left; border-bottom: 1px solid #999; }
.run { margin: 1mm 0; }
.run .pair { margin-right: 8mm; }
dl.corner { position: absolute; right: 0; top: 22mm; text-align: right; margin: 0; }
dl.corner dt, dl.corner dd { display: inline; margin: 0; }
dl.corner dt { color: #777; }
table.narrow th { width: 20mm; text-align: left; }
"""


def money(value: Decimal, lang: str) -> str:
    text = f"{value:,.2f}"
    if LANGUAGES[lang]["decimal"] == ",":
        text = text.replace(",", " ").replace(".", ",").replace(" ", ".")
    return text


def date_text(day: dt.date, lang: str, rng: random.Random) -> str:
    if lang == "en":
        return rng.choice((day.strftime("%d/%m/%Y"), day.strftime("%d %B %Y"), day.isoformat()))
    if lang == "de":
        return day.strftime("%d.%m.%Y")
    if lang == "nl":
        return rng.choice((day.strftime("%d-%m-%Y"), day.strftime("%d.%m.%Y")))
    return day.strftime("%d/%m/%Y")


def vat_of(country: str, rng: random.Random) -> str:
    from stdnum import get_cc_module

    vat = get_cc_module(country.lower(), "vat")
    while True:
        if country == "GB":
            number = "GB" + "".join(rng.choice("0123456789") for _ in range(9))
        elif country == "FR":
            number = "FR" + "".join(rng.choice("0123456789") for _ in range(11))
        elif country == "NL":
            number = "NL" + "".join(rng.choice("0123456789") for _ in range(9)) + "B01"
        elif country == "ES":
            number = "ESB" + "".join(rng.choice("0123456789") for _ in range(8))
        elif country == "IT":
            number = "IT" + "".join(rng.choice("0123456789") for _ in range(11))
        else:
            number = country + "".join(rng.choice("0123456789") for _ in range(9))
        if vat.is_valid(number):
            return number


def reference(rng: random.Random, kind: str) -> str:
    year = rng.choice((2023, 2024, 2025))
    if kind == "number":
        return rng.choice(
            (f"INV-{year}-{rng.randint(1, 9999):04d}", f"{year}{rng.randint(100, 999)}",
             f"F{year % 100}-{rng.randint(1, 99999):05d}", f"{rng.randint(10000, 99999)}",
             f"RE/{year}/{rng.randint(1, 999):03d}")
        )  # fmt: skip
    return rng.choice(
        (f"PO-{rng.randint(10000, 99999)}", f"4500{rng.randint(100000, 999999)}", f"BE{year}-{rng.randint(10, 999)}",
         f"ORD{rng.randint(1000, 99999)}", f"{rng.randint(100, 999)}/{year}", f"K-{rng.randint(1000, 9999)}")
    )  # fmt: skip


def draw(rng: random.Random, layout: str, lang: str) -> tuple[str, dict]:
    words = LANGUAGES[lang]
    e = html.escape
    seller = f"{rng.choice(NAME_PARTS[0])} {rng.choice(NAME_PARTS[1])} {rng.choice(words['company'])}"
    buyer = f"{rng.choice(('Alder', 'Marlin', 'Pellow', 'Corvi'))} {rng.choice(('Trading', 'Studio', 'Labs'))}"
    buyer += f" {rng.choice(words['company'])}"
    vat = vat_of(words["country"], rng)
    issue = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randint(0, 600))
    due = issue + dt.timedelta(days=rng.choice((14, 30)))
    number, po = reference(rng, "number"), reference(rng, "order")
    order_label = rng.choice(words["order"])
    rate = RATES[lang]
    items = []
    for good in rng.sample(words["goods"], rng.randint(1, 3)):
        qty, price = rng.randint(1, 9), Decimal(rng.randint(500, 90000)) / 100
        items.append((good, qty, price, qty * price))
    net = sum(item[3] for item in items)
    tax = (net * rate / 100).quantize(Decimal("0.01"))
    total = net + tax
    currency = words["currency"]
    customer = f"C{rng.randint(100, 9999)}"
    meta = [
        (words["number"], number), (words["date"], date_text(issue, lang, rng)),
        (words["due"], date_text(due, lang, rng)), (order_label, po),
        (words["customer_no"], customer),
    ]  # fmt: skip
    rng.shuffle(meta[2:])
    if rng.random() < 0.3:  # bilingual labels, the English one after a slash ("Bestellnummer / Order number")
        english = LANGUAGES["en"]
        pairs = (words["number"], english["number"]), (words["date"], english["date"]), (order_label, "PO number")
        meta = [(f"{k} / {dict(pairs)[k]}" if k in dict(pairs) and lang != "en" else k, v) for k, v in meta]
    style = (
        f"<style>th, td {{ padding: {rng.choice((1, 2, 4, 6, 10))}px {rng.choice((3, 6, 10, 16))}px; }}"
        f" th, dt, .label {{ text-transform: {rng.choice(('none', 'none', 'uppercase'))};"
        f" letter-spacing: {rng.choice((0, 0, 0.05, 0.12))}em; }}"
        f" .meta th, .meta td {{ text-align: {rng.choice(('left', 'left', 'right'))}; }}"
        f" body {{ font-size: {rng.choice((8, 9, 10, 11))}pt; font-family: {rng.choice(FONTS)}; }}</style>"
    )
    if layout == "header-row":  # one row of <th> titles over one row of <td> values
        head = "<table class='meta'><tr>" + "".join(f"<th>{e(k)}</th>" for k, _v in meta) + "</tr><tr>"
        head += "".join(f"<td>{e(v)}</td>" for _k, v in meta) + "</tr></table>"
    elif layout == "key-value":  # a box of <th> label, <td> value rows beside the buyer's address
        rows = "".join(f"<tr><th>{e(k)}:</th><td>{e(v)}</td></tr>" for k, v in meta)
        head = f"<div class='cols'><div class='box'><b>{e(words['bill_to'])}</b><br>{e(buyer)}<br>"
        head += f"12 Example Road<br>1000 Sampletown</div><table class='meta'>{rows}</table></div>"
        buyer = None
    elif layout == "dl-grid":  # a definition list laid out as a grid: <dt> left, <dd> right
        head = "<dl class='meta'>" + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in meta) + "</dl>"
    elif layout == "dl-stacked":  # <dt> small over its <dd>, in two columns of blocks
        half = (len(meta) + 1) // 2
        blocks = [
            "<dl class='stacked'>" + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in part) + "</dl>"
            for part in (meta[:half], meta[half:])
        ]
        head = "<div class='cols'>" + "".join(blocks) + "<div></div></div>"
    elif layout == "boxes":  # two boxes side by side, rows of "label:" and value cells, some values empty
        extra = [(label, "") for label in words["empty"]] + [(words["sales_order"], f"SO-{rng.randint(100, 999)}")]
        left, right = meta[:3], meta[3:] + extra
        rng.shuffle(right)
        boxes = [
            "<div class='kv'>" + "".join(f"<div><span>{e(k)}:</span><span>{e(v)}</span></div>" for k, v in part)
            + "</div>"
            for part in (left, right)
        ]  # fmt: skip
        head = "<div class='twin'>" + "".join(boxes) + "</div>"
    elif layout == "dl-inline":  # a definition list run inline, each <dt> followed by its <dd> on one line
        head = "<dl class='inline'>" + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in meta) + "</dl>"
    elif layout == "cell-br":  # a grid of cells, each its label, a line break and its value
        cells = [f"<td>{e(k)}<br><b>{e(v)}</b></td>" for k, v in meta]
        head = "<table class='meta'><tr>" + "".join(cells[:3]) + "</tr><tr>" + "".join(cells[3:]) + "</tr></table>"
    elif layout == "references":  # number and dates in a row of titles; the order in a table of references
        dates = [(k, v) for k, v in meta if v not in (po, customer)]
        refs = [(k, v) for k, v in meta if v in (po, customer)]
        refs += [(words["sales_order"], f"SO-{rng.randint(100, 999)}"), (rng.choice(words["empty"]), "")]
        rng.shuffle(refs)
        head = "<table class='meta'><tr>" + "".join(f"<th>{e(k)}</th>" for k, _v in dates) + "</tr><tr>"
        head += "".join(f"<td>{e(v)}</td>" for _k, v in dates) + "</tr></table>"
        head += f"<table class='refs'><tr><th colspan='2'>{e(words['references'])}</th></tr>"
        head += "".join(f"<tr><td>{e(k)}</td><td>{e(v)}</td></tr>" for k, v in refs) + "</table>"
    elif layout == "side-by-side":  # "label: value" pairs run along lines, the order beside the customer number
        runs = [[(k, v) for k, v in meta if v not in (po, customer)], [(k, v) for k, v in meta if v in (po, customer)]]
        head = "".join(
            "<div class='run'>" + "".join(f"<span class='pair'>{e(k)}: {e(v)}</span>" for k, v in run) + "</div>"
            for run in runs
        )  # fmt: skip
    elif layout == "dl-corner":  # a definition list set right-aligned in the page's top corner, each pair inline
        head = "<dl class='corner'>" + "".join(f"<dt>{e(k)}</dt>\n<dd>{e(v)}</dd><br>\n" for k, v in meta) + "</dl>"
    elif layout == "narrow-titles":  # a row of titles in narrow columns: long labels wrap over two or three lines
        align = rng.choice(("top", "bottom"))
        head = "<table class='meta narrow'><tr>" + "".join(
            f"<th style='vertical-align: {align}'>{e(k)}</th>" for k, _v in meta
        ) + "</tr><tr>" + "".join(f"<td>{e(v)}</td>" for _k, v in meta) + "</tr></table>"  # fmt: skip
    elif layout == "title-line":  # an e-invoice viewer: number and date in the title's sentence, owners named
        title = words["title_line"].format(number=number, date=date_text(issue, lang, rng))
        for_buyer, for_seller = words["owned_orders"]  # "Bestellung Nr. Kunde:", "Auftrag Nr. Lieferant:"
        rows = [(for_buyer if v == po else k, v) for k, v in meta[2:]] + [(for_seller, f"SO-{rng.randint(100, 999)}")]
        rng.shuffle(rows)
        head = f"<h2>{e(title)}</h2>" + "".join(f"<div>{e(k)}: {e(v)}</div>" for k, v in rows)
    else:  # cards: each value in a bordered box, its label above it
        head = "<div class='cards'>" + "".join(
            f"<div class='card'><div class='label'>{e(k)}</div><div class='value'>{e(v)}</div></div>" for k, v in meta
        ) + "</div>"  # fmt: skip
    lines = "".join(
        f"<tr><td>{e(g)}</td><td class='num'>{q}</td><td class='num'>{money(p, lang)}</td>"
        f"<td class='num'>{money(a, lang)}</td></tr>"
        for g, q, p, a in items
    )
    symbol = {"EUR": "€", "GBP": "£"}[currency]
    totals = (
        f"<table class='totals'><tr><th>{e(words['net'])}</th><td>{money(net, lang)} {symbol}</td></tr>"
        f"<tr><th>{e(words['tax'].format(rate=rate))}</th><td>{money(tax, lang)} {symbol}</td></tr>"
        f"<tr><th>{e(words['total'])}</th><td><b>{money(total, lang)} {symbol}</b></td></tr></table>"
    )
    address = f"<div>{e(seller)}<br>1 Sample Street<br>9999 Exampleville</div>"
    to = f"<div><b>{e(words['bill_to'])}</b><br>{e(buyer)}<br>5 Demo Lane<br>2000 Testford</div>" if buyer else ""
    page = (
        f"<html><head><meta charset='utf-8'><style>{CSS}</style>{style}</head><body>"
        f"<div class='cols'>{address}<div><h1>{e(words['title'])}</h1></div></div>{to}{head}"
        f"<table class='items'><tr><th>{e(words['item'])}</th><th class='num'>{e(words['qty'])}</th>"
        f"<th class='num'>{e(words['price'])}</th><th class='num'>{e(words['amount'])}</th></tr>{lines}</table>"
        f"{totals}<footer>{e(seller)} · {e(words['vat'])} {vat} · {e(words['thanks'])}</footer></body></html>"
    )
    expected = {
        "invoice_number": number, "issue_date": issue.isoformat(), "due_date": due.isoformat(),
        "amount_total": str(total), "amount_untaxed": str(net), "amount_tax": str(tax), "currency": currency,
        "seller_name": seller, "seller_vat": vat, "po_reference": po, "type_code": "380",
    }  # fmt: skip
    return page, expected


def print_with_chromium(source: Path, pdf: Path) -> None:
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
         f"--print-to-pdf={pdf}", str(source)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip


def print_with_weasyprint(source: Path, pdf: Path) -> None:
    import weasyprint

    weasyprint.HTML(filename=str(source)).write_pdf(str(pdf))


PRINTERS = {"chromium": print_with_chromium, "weasyprint": print_with_weasyprint}


def missing_engine(engine: str) -> str | None:
    """Why ``engine`` cannot print here, or None: a bench that silently skipped one would report the other's figure."""
    if engine == "weasyprint":
        try:
            import weasyprint  # noqa: F401
        except (ImportError, OSError) as error:  # OSError: the pango library itself is missing
            return f"WeasyPrint is not installed ({error}): run ./install.sh or pip install -e '.[test]'"
    elif shutil.which("chromium") is None:
        return "chromium is not installed: run ./install.sh"
    return None


def print_pdf(page: str, cache: Path, engine: str = "chromium") -> bytes:
    key = hashlib.sha256(page.encode()).hexdigest()[:20]
    pdf = cache / (f"{key}.pdf" if engine == "chromium" else f"{key}-{engine}.pdf")
    if not pdf.exists():
        with tempfile.TemporaryDirectory() as work:
            source = Path(work) / "page.html"
            source.write_text(page, encoding="utf-8")
            PRINTERS[engine](source, pdf)
    return pdf.read_bytes()


LAYOUTS = ("header-row", "key-value", "dl-grid", "dl-stacked", "cards", "dl-inline", "cell-br", "boxes", "references",
           "side-by-side", "dl-corner", "narrow-titles", "title-line")  # fmt: skip


def read_page(data: bytes) -> Invoice:
    try:
        return extract_bytes(data, filename="page.pdf", ignore_embedded_xml=True).invoices[0]
    except ExtractionError:
        return Invoice()


def score(pages: list[tuple[str, str, str, dict]], engine: str, cache: Path, verbose: bool) -> tuple[int, int]:
    """Print each drawn page with ``engine``, read it and print the figures per field; returns (right, scored)."""
    tallies = {name: [0, 0] for name in SCORED_FIELDS}
    by_layout: dict[str, list[int]] = {}
    for index, (layout, lang, page, expected) in enumerate(pages):
        exp, got = comparable(read_page(print_pdf(page, cache, engine)), expected)
        for name in SCORED_FIELDS:
            kind = verdict(name, exp[name], got[name])
            tallies[name][1] += 1
            tallies[name][0] += kind == "right"
            row = by_layout.setdefault(f"{layout}/{lang}", [0, 0])
            row[0], row[1] = row[0] + (kind == "right"), row[1] + 1
            if kind != "right" and verbose:
                print(f"{engine[:6]} {index:3} {layout:10} {lang} {name:15} expected {exp[name]!r} got {got[name]!r}")
    right = sum(t[0] for t in tallies.values())
    scored = sum(t[1] for t in tallies.values())
    print(f"-- printed by {engine}")
    for name, (ok, all_) in tallies.items():
        print(f"{name:16} {ok:4}/{all_:<4}")
    if verbose:
        for key, (ok, all_) in sorted(by_layout.items()):
            print(f"{key:16} {ok:4}/{all_:<4}")
    print(f"{engine} {right}/{scored} = {100.0 * right / scored:.1f}%")
    return right, scored


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--n", type=int, default=30, help="documents (layouts and languages taken in turn)")
    parser.add_argument("--engine", choices=(*PRINTERS, "both"), default="chromium", help="what prints the HTML")
    parser.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "html_invoices")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each miss")
    args = parser.parse_args()
    engines = list(PRINTERS) if args.engine == "both" else [args.engine]
    for engine in engines:
        if problem := missing_engine(engine):
            print(f"html_invoices: cannot print with {engine}: {problem}", file=sys.stderr)
            return 2
    args.cache.mkdir(parents=True, exist_ok=True)
    rng = random.Random(args.seed)
    languages = list(LANGUAGES)
    pages = []
    for index in range(args.n):
        layout, lang = LAYOUTS[index % len(LAYOUTS)], languages[(index // len(LAYOUTS)) % len(languages)]
        pages.append((layout, lang, *draw(rng, layout, lang)))
    totals = [score(pages, engine, args.cache, args.verbose) for engine in engines]
    right, scored = sum(t[0] for t in totals), sum(t[1] for t in totals)
    print(f"overall {right}/{scored} = {100.0 * right / scored:.1f}%")
    return 0


if __name__ == "__main__":
    sys.exit(main())
