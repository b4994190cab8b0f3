"""How one extracted invoice becomes a bill: the plan, the supplier's confidence, and the arithmetic of the lines.

The ORM (``models/bill_import.py``) finds records -- the partner, the
format, an existing bill the invoice duplicates, the taxes -- and writes
the bill; the decisions that only need numbers are here, tested without
Odoo: how far a supplier recognised one way or another is trusted, whether
the document is a refund and which sign its quantities take, the unit price
a line states only as an amount, the discount that makes a line come to its
net amount, and the single tax rate a document's totals imply, and the lines of a document
that states no line items (one per VAT rate of its breakdown).  Amounts are
``Decimal`` only.

>>> kind = bill_kind("invoice", Decimal("-119.00"))
>>> kind.refund, kind.sign
(True, Decimal('-1'))
>>> line_price(None, Decimal("90"), Decimal("2"), Decimal("10"), 4)
(Decimal('2'), Decimal('50.0000'), Decimal('10'))
>>> tax_rate(Decimal("19.00"), Decimal("100.00"))
Decimal('19.00')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from .pivot import Invoice

# How far a supplier recognised one way or another is trusted (multiplied by
# the engine's confidence in the field it was recognised from).
MATCH_CONFIDENCE = {
    "sender": 1.0,
    "bill": 1.0,
    "vat": 1.0,
    "sender_domain": 0.95,
    "mail": 0.9,
    "contact": 0.9,
    "name": 0.6,
}
# The supplier's confidence when it was recognised by a sender address the receiving server did not
# authenticate: low, so the field is flagged and the assignees get an activity.
UNAUTHENTICATED_SENDER = 0.5


@dataclass
class BillPlan:
    """What one invoice of a file will become, decided before any bill is touched.

    ``format``, ``partner`` and ``duplicate`` are the caller's records (in
    Odoo: ``invoice.import.format``, ``res.partner``, the existing
    ``account.move``; empty recordsets when there is none): the engine only
    carries them.

    - ``pivot``: the extracted invoice;
    - ``format``: the supplier format it was read with (empty: none);
    - ``partner``: the supplier (or customer) recognised, empty when none;
    - ``match``: how it was recognised (a key of ``MATCH_CONFIDENCE``), or None/False;
    - ``confidence``: the pivot's confidence per field, plus ``"partner"``;
    - ``duplicate``: the bill this invoice was already imported as (empty: it is new);
    - ``sender_warning``: why the sender is not trusted, or None.
    """

    pivot: Invoice
    format: Any
    partner: Any
    match: str | None
    confidence: dict[str, float] = field(default_factory=dict)
    duplicate: Any = None
    sender_warning: str | None = None


def partner_confidence(how: str | None, field_confidence: float) -> float:
    """The confidence in the partner recognised ``how``, from the confidence in the field it was found by.

    >>> partner_confidence("name", 0.9), partner_confidence("vat", 1.0), partner_confidence(None, 1.0)
    (0.54, 1.0, 0.0)
    """
    return round(MATCH_CONFIDENCE[how] * field_confidence, 3) if how else 0.0


def plan_confidence(partner: float, trusted: bool, fields: dict[str, float]) -> dict[str, float]:
    """``{"partner": score, **fields}``: the confidence per field of a plan, the partner's first.

    A sender nobody vouched for (``trusted`` False: a ``From`` header
    alone) caps the partner's confidence at ``UNAUTHENTICATED_SENDER``.

    >>> plan_confidence(1.0, False, {"invoice_number": 0.9}), plan_confidence(0.95, True, {})
    ({'partner': 0.5, 'invoice_number': 0.9}, {'partner': 0.95})
    """
    return {"partner": partner if trusted else min(partner, UNAUTHENTICATED_SENDER), **fields}


class BillKind(NamedTuple):
    """``(refund, sign)``: the document is a refund (credit note) of its direction; -1 for negative amounts."""

    refund: bool
    sign: Decimal


def bill_kind(document_type: str, amount_total: Decimal | None) -> BillKind:
    """Refund or not, and the sign of the quantities: a credit note, or an invoice of negative total.

    A credit note is stored with positive amounts; one stated with a
    negative total is an invoice after all, its lines negated.

    >>> bill_kind("invoice", Decimal(10)), bill_kind("credit_note", Decimal(10))
    (BillKind(refund=False, sign=Decimal('1')), BillKind(refund=True, sign=Decimal('1')))
    >>> bill_kind("credit_note", Decimal(-10)), bill_kind("invoice", None)
    (BillKind(refund=False, sign=Decimal('-1')), BillKind(refund=False, sign=Decimal('1')))
    """
    negative = amount_total is not None and amount_total < 0
    refund = (document_type == "credit_note") != negative
    return BillKind(refund, Decimal(-1) if negative else Decimal(1))


def line_price(
    unit_price: Decimal | None, amount: Decimal | None, quantity: Decimal | None, discount: Decimal | None, digits: int
) -> tuple[Decimal, Decimal, Decimal]:
    """``(quantity, unit price, discount)`` of a line as the bill takes them.

    No quantity (or 0) is one; no discount is 0; a line stating only its
    amount has the unit price that amount implies before the discount.  The
    price is rounded to ``digits`` (Odoo's *Product Price* precision).

    >>> line_price(Decimal("4.095"), None, Decimal(3), None, 2)
    (Decimal('3'), Decimal('4.10'), Decimal('0'))
    >>> line_price(None, Decimal("12.50"), None, Decimal(100), 2), line_price(None, None, None, None, 2)
    ((Decimal('1'), Decimal('12.50'), Decimal('100')), (Decimal('1'), Decimal('0.00'), Decimal('0')))
    """
    quantity = quantity if quantity not in (None, Decimal(0)) else Decimal(1)
    discount = discount or Decimal(0)
    price = unit_price
    if price is None and amount is not None:
        price = amount / quantity / (1 - discount / 100) if discount < 100 else amount / quantity
    return quantity, (price or Decimal(0)).quantize(Decimal(10) ** -digits), discount


def discount_for(amount: Decimal | None, quantity: Decimal, price: Decimal, discount: Decimal) -> Decimal:
    """The discount that makes the line come to its stated net amount, as Odoo's own UBL import does.

    A unit price rounded to the price precision (4.095 stored as 4.10)
    or a rebate folded into the net price would otherwise shift the
    line by a few cents; the exact discount carries the difference
    (``_get_edi_creation`` keeps the discount's full precision).  An
    amount that implies a surcharge beyond rounding -- typically a line
    amount stated with tax -- is not trusted: the stated discount stays
    and the total check reports the gap.

    >>> discount_for(Decimal("12.29"), Decimal(3), Decimal("4.10"), Decimal(0)).quantize(Decimal("0.0001"))
    Decimal('0.0813')
    >>> discount_for(Decimal("14.63"), Decimal(3), Decimal("4.10"), Decimal(0)), discount_for(None, 1, 5, Decimal(2))
    (Decimal('0'), Decimal('2'))
    """
    if amount is None or not quantity * price:
        return discount
    exact = (1 - amount / (quantity * price)) * 100
    if abs(exact - discount) < Decimal("0.0001") or not Decimal(-1) < exact < Decimal(100):
        return discount
    return exact


def tax_rate(amount_tax: Decimal | None, amount_untaxed: Decimal | None) -> Decimal | None:
    """The single tax rate (percent, two decimals) the totals imply; None without a tax or an untaxed amount.

    Most invoices carry one VAT rate and many layouts print it only in the
    totals; a mixed-rate document gives a ratio no tax has.

    >>> tax_rate(Decimal("-7.00"), Decimal("-100.00")), tax_rate(Decimal(0), Decimal(50))
    (Decimal('7.00'), Decimal('0.00'))
    >>> tax_rate(None, Decimal(100)), tax_rate(Decimal(19), Decimal(0)), tax_rate(Decimal(19), None)
    (None, None, None)
    """
    if amount_tax is None or not amount_untaxed:
        return None
    return (abs(amount_tax) / abs(amount_untaxed) * 100).quantize(Decimal("0.01"))


def untaxed_amount(invoice: Invoice) -> Decimal | None:
    """The invoice's untaxed total: as stated, else total minus tax; None when neither is known.

    >>> untaxed_amount(Invoice(amount_total=Decimal("119"), amount_tax=Decimal("19")))
    Decimal('100')
    >>> untaxed_amount(Invoice(amount_total=Decimal("119"))) is None
    True
    """
    if invoice.amount_untaxed is None and invoice.amount_total is not None and invoice.amount_tax is not None:
        return invoice.amount_total - invoice.amount_tax
    return invoice.amount_untaxed


class SummaryLine(NamedTuple):
    """A bill line standing for a document without line items: its untaxed ``amount`` (the bill's sign
    applied) and the VAT ``rate`` (percent) whose tax it takes, None when no rate is known."""

    amount: Decimal
    rate: Decimal | None


def summary_lines(invoice: Invoice, sign: Decimal = Decimal(1)) -> list[SummaryLine]:
    """The lines of a bill whose document states no line items, so that the bill adds up to its totals.

    A Factur-X MINIMUM or BASIC WL (and any CII without line items)
    states a VAT breakdown instead: one line per rate, its basis as the
    amount, when the bases add up to the untaxed total (a cent per rate
    of rounding aside).  Otherwise one line holds the untaxed total at the
    single rate the totals imply (a mixed-rate MINIMUM, which has no
    breakdown, then gets a rate no tax has and the total check flags it).
    ``sign`` is ``bill_kind``'s: a credit note stated with negative
    amounts becomes an invoice of positive ones.  ``[]`` when no untaxed
    total is known either.

    >>> from .pivot import TaxSubtotal
    >>> basic_wl = Invoice(amount_untaxed=Decimal("624.90"), amount_tax=Decimal("46.25"), tax_subtotals=[
    ...     TaxSubtotal(Decimal("20.00"), Decimal("81.90"), Decimal("16.38")),
    ...     TaxSubtotal(Decimal("5.50"), Decimal("543.00"), Decimal("29.87"))])
    >>> [(line.amount, line.rate) for line in summary_lines(basic_wl)]
    [(Decimal('81.90'), Decimal('20.00')), (Decimal('543.00'), Decimal('5.50'))]
    >>> summary_lines(Invoice(amount_untaxed=Decimal("-100"), amount_tax=Decimal("-19")), Decimal(-1))
    [SummaryLine(amount=Decimal('100'), rate=Decimal('19.00'))]
    """
    untaxed = untaxed_amount(invoice)
    by_rate = _breakdown_by_rate(invoice, untaxed)
    if by_rate:
        return [SummaryLine(basis * sign, rate) for rate, basis in by_rate.items()]
    if untaxed is None:
        return []
    return [SummaryLine(untaxed * sign, tax_rate(invoice.amount_tax, untaxed))]


def _breakdown_by_rate(invoice: Invoice, untaxed: Decimal | None) -> dict[Decimal, Decimal]:
    """``{rate: basis}`` of the invoice's VAT breakdown (categories of one rate together, in the document's
    order), or ``{}`` when it is missing, incomplete, or does not add up to the untaxed total."""
    subtotals = invoice.tax_subtotals
    if not subtotals or any(sub.rate is None or sub.basis is None for sub in subtotals):
        return {}
    by_rate: dict[Decimal, Decimal] = {}
    for sub in subtotals:
        key = sub.rate.normalize()
        by_rate[key] = by_rate.get(key, Decimal(0)) + sub.basis
    if untaxed is not None and abs(sum(by_rate.values(), Decimal(0)) - untaxed) > Decimal("0.01") * len(subtotals):
        return {}
    rates = {sub.rate.normalize(): sub.rate for sub in subtotals}  # each rate as the document writes it
    return {rates[key]: basis for key, basis in by_rate.items()}
