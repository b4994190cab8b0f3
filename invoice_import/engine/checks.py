"""Arithmetic checks shared by every reader that builds an invoice from parts.

A CSV row set, a PDF template and the template-free extractor all end with
header totals and line items that may or may not agree.  Completing the
missing totals and reporting disagreements in one place means a warning
reads the same whichever path produced the invoice.

Credit notes carry positive amounts in the pivot, as they are printed on
a credit note; ``normalise_signs`` turns a negative invoice into that form.

>>> from decimal import Decimal as D
>>> from invoice_import.engine.pivot import Invoice, Line
>>> inv = Invoice(lines=[Line(quantity=D("2"), unit_price=D("10.00"), tax_rate=D("20"))], amount_total=D("24.00"))
>>> fill_missing_totals(inv)
['amount_untaxed', 'amount_tax']
>>> inv.amount_untaxed, inv.amount_tax, inv.lines[0].amount
(Decimal('20.00'), Decimal('4.00'), Decimal('20.00'))
>>> cross_check(inv)
[]
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal

from .pivot import Invoice, Line

# Confidence of a value the document did not state but the arithmetic gives.
COMPUTED_CONFIDENCE = 0.7
# Confidence left to values the checks of ``screen`` doubt: below the review threshold of the Odoo layer.
SUSPECT_CONFIDENCE = 0.5
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
MAX_WARNINGS = 50  # per invoice: a file with a problem on each of 100,000 rows says so once, with the count
# The currencies invoices are paid in: ISO 4217's active list without the funds, metals, SDR and test codes
# (XXX "no currency", XTS, XAU, ...), which are codes but not money a supplier bills in.
ISO_4217_CURRENCIES = frozenset(
    """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF
    CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL
    HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL
    MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON
    RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SLL SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS
    UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG""".split()
)
# What a spreadsheet evaluates when it opens a cell: Odoo's XLSX export writes "=..." as a formula, and Excel
# or LibreOffice evaluate "+", "-" and "@" in an exported CSV.  A plain signed number is data, not a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,' \u00a0\u202f]*%?|[+-]?[.,]\d+%?")
_PLAIN_PHONE = re.compile(r"\+[\d ()./]+(?:-[\d ()./]+)*")
_NEUTRALISER = "'"  # what spreadsheets themselves use to mark a typed text that starts like a formula


def fill_missing_totals(invoice: Invoice) -> list[str]:
    """Complete line amounts and header totals from what is known; return the fields filled.

    Line amounts come from quantity x unit price less discount; the untaxed
    total from the lines; tax and total from each other or from the lines'
    tax rates.  Each filled header field gets ``COMPUTED_CONFIDENCE`` and a
    warning, so a reviewer knows the document did not state it.
    """
    for line in invoice.lines:
        if line.amount is None:
            line.amount = expected_line_amount(line)
    filled = []
    lines_total = _lines_total(invoice.lines)
    for _ in range(2):  # a value filled in the first pass can unlock another
        untaxed, tax, total = invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total
        if untaxed is None:
            if lines_total is not None:
                _fill(invoice, filled, "amount_untaxed", lines_total, "the sum of the lines")
            elif total is not None and tax is not None:
                _fill(invoice, filled, "amount_untaxed", total - tax, "amount_total - amount_tax")
        untaxed = invoice.amount_untaxed
        if tax is None:
            lines_tax = _lines_tax(invoice.lines)
            if total is not None and untaxed is not None:
                _fill(invoice, filled, "amount_tax", total - untaxed, "amount_total - amount_untaxed")
            elif lines_tax is not None:
                _fill(invoice, filled, "amount_tax", lines_tax, "the lines' tax rates")
        tax = invoice.amount_tax
        if total is None and untaxed is not None and tax is not None:
            _fill(invoice, filled, "amount_total", untaxed + tax, "amount_untaxed + amount_tax")
    return filled


def cross_check(invoice: Invoice) -> list[str]:
    """Warnings for every disagreement between totals, tax and lines (0.01 tolerance per rounding)."""
    warnings = []
    untaxed, tax, total = invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total
    if None not in (untaxed, tax, total) and abs(untaxed + tax - total) > CENT:
        warnings.append(f"amount_untaxed {untaxed} + amount_tax {tax} = {untaxed + tax}, but amount_total is {total}")
    lines_total = _lines_total(invoice.lines)
    if lines_total is not None and untaxed is not None and abs(lines_total - untaxed) > CENT:
        if total is None or abs(lines_total - total) > CENT:
            warnings.append(f"the lines sum to {lines_total}, but amount_untaxed is {untaxed}")
    lines_tax = _lines_tax(invoice.lines)
    tolerance = CENT * max(1, len(invoice.lines))
    if lines_tax is not None and tax is not None and abs(lines_tax - tax) > tolerance:
        warnings.append(f"the lines' tax rates give a tax of {lines_tax}, but amount_tax is {tax}")
    for number, line in enumerate(invoice.lines, start=1):
        expected = expected_line_amount(line)
        if expected is None or line.amount is None:
            continue
        if abs(expected - line.amount) > CENT + abs(line.quantity) * Decimal("0.005"):
            warnings.append(
                f"line {number}: quantity {line.quantity} x unit price {line.unit_price}"
                f"{_discount_text(line)} = {expected}, but the amount is {line.amount}"
            )
    return warnings


def normalise_signs(invoice: Invoice) -> list[str]:
    """Credit notes with positive amounts: a negative total makes an invoice a credit note.

    Returns the warnings to add.  Lines are flipped so that quantity x
    price = amount still holds: the negative one of quantity and price
    changes sign with the amount.
    """
    total = invoice.amount_total if invoice.amount_total is not None else invoice.amount_untaxed
    if total is None or total >= 0:
        return []
    warnings = []
    if invoice.document_type != "credit_note":
        invoice.document_type = "credit_note"
        warnings.append(f"the total is negative ({total}): read as a credit note with positive amounts")
    for name in ("amount_untaxed", "amount_tax", "amount_total"):
        value = getattr(invoice, name)
        if value is not None:
            setattr(invoice, name, -value)
    for line in invoice.lines:
        if line.amount is not None:
            line.amount = -line.amount
        if line.quantity is not None and line.quantity < 0:
            line.quantity = -line.quantity
        elif line.unit_price is not None and line.unit_price < 0:
            line.unit_price = -line.unit_price
    return warnings


def finish_invoice(invoice: Invoice) -> None:
    """The common ending of a reader: fill totals, cross-check, then normalise credit-note signs."""
    fill_missing_totals(invoice)
    invoice.warnings.extend(cross_check(invoice))
    invoice.warnings.extend(normalise_signs(invoice))


def expected_line_amount(line: Line) -> Decimal | None:
    """Quantity x unit price less the percentage discount, to the cent; None when unknown."""
    if line.quantity is None or line.unit_price is None:
        return None
    amount = line.quantity * line.unit_price
    if line.discount:
        amount = amount * (HUNDRED - line.discount) / HUNDRED
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _fill(invoice: Invoice, filled: list, name: str, value: Decimal, how: str) -> None:
    setattr(invoice, name, value)
    invoice.confidence[name] = COMPUTED_CONFIDENCE
    invoice.warnings.append(f"{name} not given: computed as {how}")
    filled.append(name)


def _lines_total(lines: list[Line]) -> Decimal | None:
    if not lines or any(line.amount is None for line in lines):
        return None
    return sum((line.amount for line in lines), Decimal(0))


def _lines_tax(lines: list[Line]) -> Decimal | None:
    if not lines or any(line.amount is None or line.tax_rate is None for line in lines):
        return None
    tax = sum((line.amount * line.tax_rate / HUNDRED for line in lines), Decimal(0))
    return tax.quantize(CENT, rounding=ROUND_HALF_UP)


def _discount_text(line: Line) -> str:
    return f" less {line.discount}%" if line.discount else ""


def looks_like_formula(cell: str) -> bool:
    """True for a text a spreadsheet would evaluate: ``=1+2``, ``@SUM(A1)``, ``+cmd|...``, ``-1+1``; not ``-12,50``."""
    return bool(cell) and cell.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(cell.strip())


def neutralise_formula(text: str | None, phone: bool = False) -> str | None:
    """``text`` with an apostrophe in front when a spreadsheet would evaluate it; otherwise unchanged.

    A phone number in international form ("+49 (30) 1234-56") is left as it is.
    """
    if not text or not looks_like_formula(text) or (phone and _PLAIN_PHONE.fullmatch(text)):
        return text
    return _NEUTRALISER + text


def screen(invoice: Invoice) -> None:
    """The last checks of every invoice, whichever reader made it; warnings added, doubtful values marked.

    - text that a spreadsheet would run as a formula is stored with a
      leading apostrophe (Odoo's exports hand these fields to Excel);
    - a currency that is not an ISO 4217 currency is dropped, confidence 0;
    - lines whose quantity x price and amount have opposite signs, and
      totals of opposite signs, lower the confidence of the lines and the
      total below the review threshold;
    - the warnings are capped at ``MAX_WARNINGS``, the rest counted.
    """
    warnings = _neutralise_texts(invoice) + _check_currency(invoice) + _check_signs(invoice)
    invoice.warnings.extend(warnings)
    if len(invoice.warnings) > MAX_WARNINGS:
        hidden = len(invoice.warnings) - MAX_WARNINGS + 1
        invoice.warnings[MAX_WARNINGS - 1 :] = [f"and {hidden} more warnings"]


def _neutralise_texts(invoice: Invoice) -> list[str]:
    targets = [(invoice, "invoice_number"), (invoice, "po_reference")]
    targets += [(invoice.supplier, name) for name in ("name", "vat", "email", "phone", "iban")]
    targets += [(invoice.customer, name) for name in ("name", "vat")]
    targets += [(line, name) for line in invoice.lines for name in ("description", "product_code")]
    changed = 0
    for holder, name in targets:
        value = getattr(holder, name)
        if isinstance(value, str):
            safe = neutralise_formula(value, phone=name == "phone")
            if safe != value:
                setattr(holder, name, safe)
                changed += 1
    if not changed:
        return []
    return [f"{changed} text(s) starting like a spreadsheet formula stored with a leading apostrophe (never evaluated)"]


def _check_currency(invoice: Invoice) -> list[str]:
    code = invoice.currency
    if code is None or code in ISO_4217_CURRENCIES:
        return []
    invoice.currency = None
    invoice.confidence["currency"] = 0.0
    shown = code if len(code) <= 12 else code[:12] + "..."
    return [f"the currency {shown!r} is not an ISO 4217 currency: left empty"]


def _check_signs(invoice: Invoice) -> list[str]:
    warnings = []
    for number, line in enumerate(invoice.lines, start=1):
        quantity, price, amount = line.quantity, line.unit_price, line.amount
        if not quantity or not amount or price == 0:
            continue
        product_negative = (quantity < 0) != (price is not None and price < 0)
        if product_negative != (amount < 0):
            price_text = f" x unit price {price}" if price is not None else ""
            warnings.append(f"line {number}: quantity {quantity}{price_text} and amount {amount} have opposite signs")
    untaxed, total = invoice.amount_untaxed, invoice.amount_total
    if untaxed and total and (untaxed < 0) != (total < 0):
        warnings.append(f"amount_untaxed {untaxed} and amount_total {total} have opposite signs")
    if warnings:
        for key in ("lines", "amount_total"):
            invoice.confidence[key] = min(invoice.confidence.get(key, 1.0), SUSPECT_CONFIDENCE)
    return warnings
