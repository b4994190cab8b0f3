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

from decimal import ROUND_HALF_UP, Decimal

from .pivot import Invoice, Line

# Confidence of a value the document did not state but the arithmetic gives.
COMPUTED_CONFIDENCE = 0.7
CENT = Decimal("0.01")
HUNDRED = Decimal(100)


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
