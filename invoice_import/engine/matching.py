"""Matching a supplier invoice's lines to open purchase order lines, under tolerance rules.

Pure data in, a report out: the Odoo layer turns bill lines and PO lines
into ``InvoiceLine`` and ``OrderLine`` and applies the report (links bill
lines to PO lines, posts the bill or asks a person).  Each invoice line is
matched to one PO line, found by, in order of trust: the supplier's own
product code, the buyer's internal reference, a similar description, or a
unique unit price.  Among several candidates of one kind the line that can
still bill the quantity wins, then a line of an order the invoice refers
to, then the oldest order.

Quantities: a PO line can be billed up to what was received (or ordered,
when the product is billed on ordered quantities) minus what was already
billed; an invoice billing more fails, however right its prices are (a
bill for 2 when 1 was received is not a full match).  Prices: the unit
price and the line total go through the rules of their scope; the order
total compares the invoice's untaxed total with the ordered value of what
it bills (matched lines, their invoiced quantity at the PO's price), so a
line matching nothing or billed too dear shows there too.
"""

from __future__ import annotations

import bisect
import difflib
import heapq
import re
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from .states import EXCEPTION, MATCHED, READY, TO_REVIEW, WAITING
from .tolerance import LINE_TOTAL, ORDER_TOTAL, UNIT_PRICE, describe_missing, select_rule, within_tolerance

BILL_ORDERED = "purchase"  # Odoo's purchase_method: bill what was ordered
BILL_RECEIVED = "receive"  # bill what was received
# Below this description similarity (0-1) a line is not a candidate.
MIN_SIMILARITY = 0.6
# A word on more open lines than this is too common to find candidates by.
COMMON_WORD = 500
_WORD = re.compile(r"\w{2,}", re.UNICODE)
# What a line failed on (``LineResult.failed_checks``), for a screen to say it in words: no PO line found,
# more billed than may be billed, or a price check of this scope outside its rule.
NO_MATCH = "no_match"
QUANTITY = "quantity"


def _key(code):
    return re.sub(r"[\s\-./_]", "", code or "").upper() or None


def _words(text):
    return frozenset(word.lower() for word in _WORD.findall(text or ""))


@dataclass
class InvoiceLine:
    """One line of the supplier's document (``ref``: the caller's handle, e.g. the bill line id)."""

    index: int
    quantity: Decimal
    unit_price: Decimal
    description: str | None = None
    product_code: str | None = None
    amount: Decimal | None = None
    ref: object = None

    @property
    def total(self) -> Decimal:
        return self.amount if self.amount is not None else self.quantity * self.unit_price


@dataclass
class OrderLine:
    """An open purchase order line: what was ordered, received and already billed."""

    id: int
    order_id: int
    order_name: str
    unit_price: Decimal
    qty_ordered: Decimal
    qty_received: Decimal = Decimal(0)
    qty_billed: Decimal = Decimal(0)
    billing_policy: str = BILL_RECEIVED
    description: str = ""
    internal_ref: str | None = None
    supplier_codes: tuple[str, ...] = ()
    order_ref: str | None = None  # the supplier's reference of the order

    @property
    def billable(self) -> Decimal:
        basis = self.qty_ordered if self.billing_policy == BILL_ORDERED else self.qty_received
        return max(basis - self.qty_billed, Decimal(0))


@dataclass
class LineResult:
    invoice_index: int
    po_line_id: int | None
    order_name: str | None
    found_by: str | None
    quantity: Decimal
    quantity_billable: Decimal | None
    unit_price: Decimal
    unit_price_ordered: Decimal | None
    price_deviation: Decimal | None
    line_total: Decimal
    line_total_ordered: Decimal | None
    line_deviation: Decimal | None
    rules: list[str] = field(default_factory=list)
    passed: bool = False
    reasons: list[str] = field(default_factory=list)
    ref: object = None
    failed_checks: list[str] = field(default_factory=list)  # NO_MATCH, QUANTITY, UNIT_PRICE, LINE_TOTAL


@dataclass
class TotalCheck:
    document_value: Decimal
    ordered_value: Decimal
    deviation: Decimal
    rule: str | None
    passed: bool


@dataclass
class MatchReport:
    lines: list[LineResult] = field(default_factory=list)
    order_total: TotalCheck | None = None

    @property
    def unmatched(self) -> list[LineResult]:
        return [line for line in self.lines if line.po_line_id is None]

    @property
    def passed(self) -> bool:
        """Every line matched and passed, and the order total too: what may be posted without a person."""
        total_ok = self.order_total is None or self.order_total.passed
        return bool(self.lines) and all(line.passed for line in self.lines) and total_ok

    @property
    def state(self) -> str:
        """``MATCHED`` when passed; else ``WAITING`` when a line is on no PO line or bills more than may be
        billed yet (a receipt or an order may still come), else ``EXCEPTION`` (outside tolerance)."""
        if self.passed:
            return MATCHED
        waiting = not self.lines or any(
            line.po_line_id is None or line.quantity > line.quantity_billable for line in self.lines
        )
        return WAITING if waiting else EXCEPTION

    @property
    def order_names(self) -> list[str]:
        return sorted({line.order_name for line in self.lines if line.order_name})

    def to_dict(self) -> dict:
        """``{passed, orders, lines, unmatched, order_total}``, JSON-ready (Decimals as strings, ``ref`` left out).

        ``lines``: each ``LineResult`` as a dict; ``unmatched``: the invoice
        indexes no order line bills; ``order_total``: the ``TotalCheck`` as a dict, or None.
        """

        def clean(value):
            if isinstance(value, Decimal):
                return format(value, "f")
            if isinstance(value, list):
                return [clean(v) for v in value]
            return value

        lines = []
        for line in self.lines:
            data = {k: clean(v) for k, v in asdict(line).items() if k != "ref"}
            lines.append(data)
        total = {k: clean(v) for k, v in asdict(self.order_total).items()} if self.order_total else None
        return {
            "passed": self.passed,
            "orders": self.order_names,
            "lines": lines,
            "unmatched": [line.invoice_index for line in self.unmatched],
            "order_total": total,
        }


class _Index:
    """The candidate PO lines, indexed by code, reference, word and price, so each lookup is a dict hit."""

    def __init__(self, order_lines):
        self.by_supplier_code = defaultdict(list)
        self.by_internal_ref = defaultdict(list)
        self.by_word = defaultdict(list)
        self.by_price = defaultdict(list)
        self.words = {}
        for line in order_lines:
            for code in {_key(c) for c in line.supplier_codes} - {None}:
                self.by_supplier_code[code].append(line)
            if _key(line.internal_ref):
                self.by_internal_ref[_key(line.internal_ref)].append(line)
            words = _words(line.description)
            self.words[line.id] = words
            for word in words:
                self.by_word[word].append(line)
            self.by_price[line.unit_price].append(line)
        self.prices = sorted(self.by_price)

    def similar(self, description, limit=20):
        """Lines whose description resembles this one.

        Shared words first, counted on the invoice's rarer words only (a
        word on thousands of open lines, 'size' or 'mm', says nothing and
        would make this a scan), then difflib on the best few.
        """
        postings = sorted((self.by_word[w] for w in _words(description) if w in self.by_word), key=len)
        if not postings:
            return []
        selective = [p for p in postings if len(p) <= COMMON_WORD] or [postings[0][:COMMON_WORD]]
        shared, lines = defaultdict(int), {}
        for posting in selective:
            for line in posting:
                shared[line.id] += 1
                lines[line.id] = line
        best = heapq.nlargest(limit, shared, key=shared.__getitem__)
        scored = []
        for key in best:
            line = lines[key]
            ratio = difflib.SequenceMatcher(None, description.lower(), line.description.lower()).ratio()
            if ratio >= MIN_SIMILARITY:
                scored.append((ratio, line))
        scored.sort(key=lambda item: -item[0])
        return [line for _ratio, line in scored]

    def priced(self, low, high):
        """Lines priced from ``low`` to ``high``, by bisection on the sorted prices."""
        start, end = bisect.bisect_left(self.prices, low), bisect.bisect_right(self.prices, high)
        return [line for price in self.prices[start:end] for line in self.by_price[price]]


def match_lines(invoice_lines, order_lines, rules=(), po_references=()) -> MatchReport:
    """The match report of these invoice lines against these candidate PO lines.

    >>> from decimal import Decimal as D
    >>> po = [OrderLine(1, 10, "PO-1", D("7.51"), D(2), D(1), supplier_codes=("AB-1",), description="Bolt M8")]
    >>> inv = [InvoiceLine(0, D(1), D("7.56"), "Bolts M8", "ab1")]
    >>> match_lines(inv, po).passed  # no rule: the price must be the ordered one
    False
    >>> from .tolerance import ToleranceRule, ABSOLUTE
    >>> rules = [ToleranceRule(s, ABSOLUTE, D("0.05"), D(0), D("9.99")) for s in ("unit_price", "line_total",
    ...          "order_total")]
    >>> report = match_lines(inv, po, rules)
    >>> report.passed, report.lines[0].found_by, report.lines[0].price_deviation
    (True, 'supplier_code', Decimal('0.05'))
    """
    index = _Index(order_lines)
    references = {_key(ref) for ref in po_references} - {None}
    remaining = {line.id: line.billable for line in order_lines}
    used = set()
    report = MatchReport()
    for inv in invoice_lines:
        po_line, found_by = _pick(inv, index, remaining, used, references, rules)
        result = _check(inv, po_line, found_by, remaining, rules)
        if po_line is not None:
            used.add(po_line.id)
            remaining[po_line.id] -= min(inv.quantity, remaining[po_line.id])
        report.lines.append(result)
    report.order_total = _check_total(report, rules)
    return report


def _pick(inv, index, remaining, used, references, rules):
    """``(order line, found by)``: the line this invoice line bills and how it was found; ``(None, None)``."""
    code = _key(inv.product_code)
    searches = [
        ("supplier_code", index.by_supplier_code.get(code, []) if code else []),
        ("internal_ref", index.by_internal_ref.get(code, []) if code else []),
        ("description", index.similar(inv.description) if inv.description else []),
    ]
    for found_by, candidates in searches:
        candidates = [c for c in candidates if c.id not in used]
        if candidates:
            return _best(inv, candidates, remaining, references), found_by
    # last resort: the one open line at this unit price (within the unit price rule)
    rule = select_rule(rules, UNIT_PRICE, inv.unit_price)
    allowance = rule.allowance(inv.unit_price) if rule else Decimal(0)
    priced = [c for c in index.priced(inv.unit_price - allowance, inv.unit_price + allowance) if c.id not in used]
    if len(priced) == 1:
        return priced[0], "unit_price"
    return None, None


def _best(inv, candidates, remaining, references):
    """Can bill the quantity, then referenced by the invoice, then the nearest price, then the oldest order."""

    def rank(line):  # a sort key: a tuple, smallest first
        return (
            remaining[line.id] < inv.quantity,
            not ({_key(line.order_name), _key(line.order_ref)} & references),
            abs(line.unit_price - inv.unit_price),
            line.order_id,
            line.id,
        )

    return min(candidates, key=rank)


def _check(inv, po_line, found_by, remaining, rules):
    if po_line is None:
        return LineResult(
            invoice_index=inv.index,
            po_line_id=None,
            order_name=None,
            found_by=None,
            quantity=inv.quantity,
            quantity_billable=None,
            unit_price=inv.unit_price,
            unit_price_ordered=None,
            price_deviation=None,
            line_total=inv.total,
            line_total_ordered=None,
            line_deviation=None,
            passed=False,
            reasons=["no open purchase order line matches this line"],
            ref=inv.ref,
            failed_checks=[NO_MATCH],
        )
    billable = remaining[po_line.id]
    ordered_total = inv.quantity * po_line.unit_price
    reasons, rules_used, failed = [], [], []
    if inv.quantity > billable:
        basis = "ordered" if po_line.billing_policy == BILL_ORDERED else "received"
        reasons.append(f"quantity {inv.quantity} exceeds what is {basis} and not yet billed ({billable})")
        failed.append(QUANTITY)
    for scope, document_value, ordered_value, label in (
        (UNIT_PRICE, inv.unit_price, po_line.unit_price, "unit price"),
        (LINE_TOTAL, inv.total, ordered_total, "line total"),
    ):
        rule = select_rule(rules, scope, document_value)
        rules_used.append(rule.describe() if rule else describe_missing(scope))
        if not within_tolerance(document_value, ordered_value, rule):
            reasons.append(f"{label} {document_value} vs ordered {ordered_value}: outside tolerance")
            failed.append(scope)
    return LineResult(
        invoice_index=inv.index,
        po_line_id=po_line.id,
        order_name=po_line.order_name,
        found_by=found_by,
        quantity=inv.quantity,
        quantity_billable=billable,
        unit_price=inv.unit_price,
        unit_price_ordered=po_line.unit_price,
        price_deviation=inv.unit_price - po_line.unit_price,
        line_total=inv.total,
        line_total_ordered=ordered_total,
        line_deviation=inv.total - ordered_total,
        rules=rules_used,
        passed=not reasons,
        reasons=reasons,
        ref=inv.ref,
        failed_checks=failed,
    )


def _check_total(report, rules):
    if not report.lines:
        return None
    document_value = sum((line.line_total for line in report.lines), Decimal(0))
    ordered_value = sum(
        (
            min(line.quantity, line.quantity_billable) * line.unit_price_ordered
            for line in report.lines
            if line.po_line_id is not None
        ),
        Decimal(0),
    )
    rule = select_rule(rules, ORDER_TOTAL, document_value)
    return TotalCheck(
        document_value=document_value,
        ordered_value=ordered_value,
        deviation=document_value - ordered_value,
        rule=rule.describe() if rule else None,
        passed=within_tolerance(document_value, ordered_value, rule),
    )


def invoice_lines_from_pivot(lines) -> list[InvoiceLine]:
    """The pivot's lines as matching input (a line without quantity bills one)."""
    result = []
    for i, line in enumerate(lines):
        quantity = line.quantity if line.quantity not in (None, Decimal(0)) else Decimal(1)
        price = line.unit_price
        if price is None:
            price = (line.amount or Decimal(0)) / quantity
        result.append(InvoiceLine(i, quantity, price, line.description, line.product_code, line.amount))
    return result


def discounted_price(price: Decimal, discount: Decimal) -> Decimal:
    """The unit price after a line's discount (percent), to four decimals: the price bill and order compare at.

    >>> discounted_price(Decimal("10.00"), Decimal("12.5")), discounted_price(Decimal("3.333"), Decimal(0))
    (Decimal('8.7500'), Decimal('3.333'))
    """
    if not discount:
        return price
    return (price * (1 - discount / 100)).quantize(Decimal("0.0001"))


def review_after_match(match_state: str, document_state: str, held: bool) -> tuple[str | None, bool]:
    """``(document state, held)`` after a match: the new state of the import document (None: unchanged), and
    whether the match alone now holds it to review.

    A ready bill that does not match is held for a person; a held one
    that now matches is ready again.  A bill to review for another reason
    (a field read unsurely) stays so whatever the match.

    >>> review_after_match(WAITING, READY, False), review_after_match(MATCHED, TO_REVIEW, True)
    (('to_review', True), ('ready', False))
    >>> review_after_match(MATCHED, TO_REVIEW, False), review_after_match(EXCEPTION, TO_REVIEW, True)
    ((None, False), (None, True))
    """
    if match_state == MATCHED and document_state == TO_REVIEW and held:
        return READY, False
    if match_state != MATCHED and document_state == READY:
        return TO_REVIEW, True
    return None, held
