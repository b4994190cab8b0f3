"""Which remote tax code an Odoo tax goes to: proposed from rates and names after the chart is refreshed.

A ledger has one tax code per rate and direction (Xero's ``OUTPUT2`` "15% GST on Income" and ``INPUT2``
"15% GST on Expenses"; a German organisation's 19% and 7%), so one "taxed" default cannot carry 19% and 7%
apart.  The proposal only ever pairs equal rates: a wrong rate would book wrong tax, while no proposal falls
back to the connection's four defaults, which a user sees and can correct.  Among equal rates the direction
(sales or purchases, said by the remote code or name) and the words shared with the Odoo tax's name decide;
a tie proposes nothing rather than guess.

A group tax (Odoo's ``amount_type == "group"``: Canada's GST + QST, a US state + county sales tax) is one code
in the ledger that stacks its rates: QuickBooks' tax code holds several rates, Xero's compound tax rate shows
their effective total.  The group is proposed like any tax at the rate its children charge together
(``group_rate``), so it meets the stacked code of the same total.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .records import RemoteTaxRate

#: Rates closer than this are the same rate (Odoo stores floats, QuickBooks and Xero decimals).
RATE_TOLERANCE = Decimal("0.005")

SALE_WORDS = frozenset({"sale", "sales", "income", "output", "revenue", "outputs", "collected"})
PURCHASE_WORDS = frozenset({"purchase", "purchases", "expense", "expenses", "input", "inputs", "paid", "vorsteuer"})
#: words that name the tax itself and so tell nothing apart
NOISE_WORDS = frozenset({"tax", "rate", "on", "of", "the", "and", "for", "vat", "gst", "st", "percent"})


@dataclass(frozen=True)
class LocalTax:
    """An Odoo tax: ``use`` is ``sale``, ``purchase`` or ``none`` (Odoo's ``type_tax_use``)."""

    key: int | str
    name: str
    rate: Decimal
    use: str = "none"


@dataclass(frozen=True)
class ChildTax:
    """A child of an Odoo group tax, in the group's order: ``kind`` is Odoo's ``amount_type``;
    ``compounds``: its amount is in the base of the children after it (Odoo's ``include_base_amount``)."""

    rate: Decimal
    kind: str = "percent"
    compounds: bool = False


def group_rate(children: list[ChildTax]) -> Decimal | None:
    """The percentage a group of taxes charges in all, or None when one child is not a percentage (a fixed
    amount has no rate, so no rate can be compared) or the group is empty.

    >>> group_rate([ChildTax(Decimal(5)), ChildTax(Decimal("9.975"))])
    Decimal('14.975')
    >>> group_rate([ChildTax(Decimal(5), compounds=True), ChildTax(Decimal("9.5"))])
    Decimal('14.975')
    """
    if not children or any(child.kind != "percent" for child in children):
        return None
    base, total = Decimal(100), Decimal(0)
    for child in children:
        amount = base * Decimal(child.rate) / 100
        total += amount
        if child.compounds:
            base += amount
    return total


def _words(text: str) -> set[str]:
    """Lower-case words without digits: ``"OUTPUT2"`` gives ``{"output"}``, ``"19% USt"`` gives ``{"ust"}``."""
    return {word for word in re.findall(r"[a-zäöüß]+", (text or "").lower()) if word not in NOISE_WORDS}


def direction(text: str) -> str:
    """``sale``, ``purchase`` or ``""`` as the words of a tax's code or name say.

    >>> direction("15% GST on Expenses"), direction("OUTPUT2"), direction("No GST")
    ('purchase', 'sale', '')
    """
    words = _words(text)
    sale, purchase = bool(words & SALE_WORDS), bool(words & PURCHASE_WORDS)
    return "sale" if sale and not purchase else "purchase" if purchase and not sale else ""


def _score(local: LocalTax, remote: RemoteTaxRate) -> int:
    """Higher is a better fit among remote taxes of the local tax's rate."""
    score = 0
    remote_direction = direction(f"{remote.code} {remote.name}")
    if local.use in ("sale", "purchase") and remote_direction:
        score += 2 if remote_direction == local.use else -2
    score += len(_words(local.name) & _words(f"{remote.code} {remote.name}") - SALE_WORDS - PURCHASE_WORDS)
    return score


def propose(local: LocalTax, remote: list[RemoteTaxRate]) -> str | None:
    """The remote code proposed for ``local``: same rate, then the best direction and name fit; None when no
    remote tax has its rate or two fit equally well.

    >>> chart = [RemoteTaxRate("OUTPUT2", "15% GST on Income", Decimal(15)),
    ...          RemoteTaxRate("INPUT2", "15% GST on Expenses", Decimal(15)),
    ...          RemoteTaxRate("NONE", "No GST", Decimal(0))]
    >>> propose(LocalTax(1, "GST 15% (purchases)", Decimal(15), "purchase"), chart)
    'INPUT2'
    >>> propose(LocalTax(2, "19% USt", Decimal(19), "sale"), chart) is None
    True
    """
    same_rate = [r for r in remote if abs(Decimal(r.rate) - Decimal(local.rate)) < RATE_TOLERANCE]
    if not same_rate:
        return None
    scored = sorted(((_score(local, r), r.code) for r in same_rate), reverse=True)
    if len(scored) > 1 and scored[0][0] == scored[1][0]:
        return None
    return scored[0][1]


def propose_all(local: list[LocalTax], remote: list[RemoteTaxRate]) -> dict[int | str, str]:
    """``{local tax key: remote code}`` for every local tax that gets a proposal (the others are left out)."""
    proposals = {tax.key: propose(tax, remote) for tax in local}
    return {key: code for key, code in proposals.items() if code}
