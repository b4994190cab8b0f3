"""Tolerance rules: how far a supplier's document may stray from what was ordered and still pass.

A rule applies to one *scope* (the order total, a line total, a line's
unit price) and to a range of *document values*; it allows the document
value to be above or below the ordered value by a fixed amount
(``absolute``, in the document's currency) or by a percentage of the
document value (``percent``).  For a given document value the first rule
by sequence whose range contains it applies, so a company can be strict
on small amounts and looser on large ones.  Amounts are ``Decimal`` only:
a float would make 7.56 + 0.05 miss 7.61.

The worked example of the vendor documentation this follows (which prints
7.71 where 7.56 + 0.05 gives 7.61): an absolute rule of 0.05 for values
from 0 to 9.99 lets a document value of 7.56 match an ordered value from
7.51 to 7.61.

>>> rule = ToleranceRule(scope=UNIT_PRICE, mode=ABSOLUTE, value=Decimal("0.05"),
...                      min_value=Decimal("0"), max_value=Decimal("9.99"))
>>> [within_tolerance(Decimal("7.56"), Decimal(v), rule) for v in ("7.50", "7.51", "7.61", "7.62", "7.71")]
[False, True, True, False, False]
>>> select_rule([rule], UNIT_PRICE, Decimal("7.56")) is rule, select_rule([rule], UNIT_PRICE, Decimal("10"))
(True, None)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

ORDER_TOTAL = "order_total"
LINE_TOTAL = "line_total"
UNIT_PRICE = "unit_price"
SCOPES = (ORDER_TOTAL, LINE_TOTAL, UNIT_PRICE)
ABSOLUTE = "absolute"
PERCENT = "percent"
MODES = (ABSOLUTE, PERCENT)
# Each scope in words: as the subject of a rule, and as the noun of the values its range covers.
SCOPE_WORDS = {ORDER_TOTAL: "Order total", LINE_TOTAL: "Line total", UNIT_PRICE: "Unit price"}
SCOPE_NOUNS = {ORDER_TOTAL: "order totals", LINE_TOTAL: "line totals", UNIT_PRICE: "unit prices"}


@dataclass(frozen=True)
class ToleranceRule:
    """One rule; ``max_value`` None means no upper bound.  Ranges are on the document value's magnitude."""

    scope: str
    mode: str
    value: Decimal
    min_value: Decimal = Decimal(0)
    max_value: Decimal | None = None
    sequence: int = 10
    name: str = ""

    def __post_init__(self):
        if self.scope not in SCOPES:
            raise ValueError(f"unknown tolerance scope {self.scope!r}; expected one of {SCOPES}")
        if self.mode not in MODES:
            raise ValueError(f"unknown tolerance mode {self.mode!r}; expected one of {MODES}")
        for name in ("value", "min_value", "max_value"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, Decimal):
                raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")
        if self.value < 0:
            raise ValueError("a tolerance cannot be negative")
        if self.mode == PERCENT and self.value > 100:
            raise ValueError("a percentage tolerance is between 0 and 100")
        if self.max_value is not None and self.max_value < self.min_value:
            raise ValueError("the maximum document value is below the minimum")

    def contains(self, document_value: Decimal) -> bool:
        """The rule's range holds this document value (bounds included).

        >>> r = ToleranceRule(LINE_TOTAL, PERCENT, Decimal(2), Decimal(10), Decimal(100))
        >>> r.contains(Decimal(10)), r.contains(Decimal(100)), r.contains(Decimal("-50")), r.contains(Decimal("9.99"))
        (True, True, True, False)
        """
        magnitude = abs(document_value)
        return magnitude >= self.min_value and (self.max_value is None or magnitude <= self.max_value)

    def allowance(self, document_value: Decimal) -> Decimal:
        """How far the ordered value may be from this document value, either way.

        >>> ToleranceRule(ORDER_TOTAL, PERCENT, Decimal("2.5")).allowance(Decimal("-200"))
        Decimal('5.0')
        """
        if self.mode == ABSOLUTE:
            return self.value
        return abs(document_value) * self.value / 100

    def describe(self) -> str:
        """The rule in words, as a person names it: its stored name and the match report's rule column.

        Numbers are written as typed (no trailing zeros); the scope's own
        noun names the range, which is left out when it is everything.

        >>> ToleranceRule(UNIT_PRICE, ABSOLUTE, Decimal("0.0500"), Decimal(0), Decimal("9.99")).describe()
        'Unit price within ±0.05 of the order, for unit prices up to 9.99'
        >>> ToleranceRule(ORDER_TOTAL, PERCENT, Decimal("2.5"), Decimal(1000)).describe()
        'Order total within ±2.5% of the order, for order totals from 1000'
        >>> ToleranceRule(LINE_TOTAL, ABSOLUTE, Decimal(0)).describe()
        'Line total equal to the order'
        """
        if self.value == 0:
            allowed = f"{SCOPE_WORDS[self.scope]} equal to the order"
        else:
            amount = f"{_plain(self.value)}%" if self.mode == PERCENT else _plain(self.value)
            allowed = f"{SCOPE_WORDS[self.scope]} within ±{amount} of the order"
        noun = SCOPE_NOUNS[self.scope]
        if self.max_value is None:
            scope = f", for {noun} from {_plain(self.min_value)}" if self.min_value else ""
        elif self.min_value:
            scope = f", for {noun} from {_plain(self.min_value)} to {_plain(self.max_value)}"
        else:
            scope = f", for {noun} up to {_plain(self.max_value)}"
        label = f"{self.name}: " if self.name else ""
        return f"{label}{allowed}{scope}"


def describe_missing(scope: str) -> str:
    """The words for a check no rule covers: the value must equal the ordered one.

    >>> describe_missing(UNIT_PRICE)
    'Unit price equal to the order (no tolerance rule)'
    """
    return f"{SCOPE_WORDS[scope]} equal to the order (no tolerance rule)"


def _plain(value: Decimal) -> str:
    """A Decimal as typed, without trailing zeros or exponent: 0.0500 → '0.05', 1E+3 → '1000'.

    >>> [_plain(Decimal(v)) for v in ("0.0500", "1E+3", "10.00", "0")]
    ['0.05', '1000', '10', '0']
    """
    return format(value.normalize(), "f")


def select_rule(rules, scope: str, document_value: Decimal) -> ToleranceRule | None:
    """The first rule of this scope, by sequence, whose range contains the document value.

    >>> strict = ToleranceRule(UNIT_PRICE, ABSOLUTE, Decimal("0.01"), Decimal(0), Decimal("9.99"), sequence=1)
    >>> loose = ToleranceRule(UNIT_PRICE, PERCENT, Decimal(1), Decimal(10), None, sequence=2)
    >>> catch_all = ToleranceRule(UNIT_PRICE, ABSOLUTE, Decimal(1), sequence=3)
    >>> rules = [catch_all, loose, strict]
    >>> [select_rule(rules, UNIT_PRICE, Decimal(v)).sequence for v in ("5", "9.99", "10", "5000")]
    [1, 1, 2, 2]
    >>> select_rule(rules, ORDER_TOTAL, Decimal(5)) is None
    True
    """
    for rule in sorted((r for r in rules if r.scope == scope), key=lambda r: r.sequence):
        if rule.contains(document_value):
            return rule
    return None


def within_tolerance(document_value: Decimal, ordered_value: Decimal, rule: ToleranceRule | None) -> bool:
    """The document value is above or below the ordered value by no more than the rule allows.

    Without a rule the values must be equal: nothing is tolerated that
    the company did not decide to tolerate.

    >>> pct = ToleranceRule(LINE_TOTAL, PERCENT, Decimal(10))
    >>> within_tolerance(Decimal(100), Decimal(110), pct), within_tolerance(Decimal(100), Decimal(90), pct)
    (True, True)
    >>> within_tolerance(Decimal(100), Decimal("110.01"), pct), within_tolerance(Decimal(100), Decimal(100), None)
    (False, True)
    """
    if not isinstance(document_value, Decimal) or not isinstance(ordered_value, Decimal):
        raise TypeError("tolerance checks take Decimal amounts")
    if rule is None:
        return document_value == ordered_value
    return abs(document_value - ordered_value) <= rule.allowance(document_value)


def overlapping(rules) -> list[tuple[ToleranceRule, ToleranceRule]]:
    """Pairs of rules of one scope whose ranges share a value: the later one is partly dead.

    >>> a = ToleranceRule(ORDER_TOTAL, ABSOLUTE, Decimal(1), Decimal(0), Decimal("99.99"), sequence=1)
    >>> b = ToleranceRule(ORDER_TOTAL, ABSOLUTE, Decimal(5), Decimal(100), Decimal(999), sequence=2)
    >>> c = ToleranceRule(ORDER_TOTAL, PERCENT, Decimal(1), Decimal(500), None, sequence=3)
    >>> d = ToleranceRule(UNIT_PRICE, PERCENT, Decimal(1), Decimal(0), None, sequence=4)
    >>> [(x.sequence, y.sequence) for x, y in overlapping([a, b, c, d])]
    [(2, 3)]
    """
    ordered = sorted(rules, key=lambda r: r.sequence)
    pairs = []
    for i, first in enumerate(ordered):
        for second in ordered[i + 1 :]:
            if first.scope != second.scope:
                continue
            low = max(first.min_value, second.min_value)
            highs = [r.max_value for r in (first, second) if r.max_value is not None]
            if not highs or low <= min(highs):
                pairs.append((first, second))
    return pairs
