"""Whether an imported bill is posted without a person, and why: one rule, in words a user can read.

Three switches used to decide, each in its own place: the supplier's *Import invoices automatically*,
Purchase's *Validate matched bills automatically*, and Odoo's own *Auto-validate bills* (the company's
switch with the supplier set to *Always*), which only the journal upload looked at. They are read here
together, under the conditions that hold for all of them: the document was read with confidence (its
import is *ready*) and its supplier was recognised in a way nobody can forge (a mapped sender address
the receiving server authenticated, or a VAT number in a file a person uploaded). The first rule that
asks for it posts the bill; the sentence of the decision goes in the bill's chatter when it is posted,
and in its review banner when it waits.

``describe_policy`` says the same rule as a sentence for the settings and the supplier's form.
"""

from dataclasses import dataclass

# The rules that post a bill, in the order they are tried.
SUPPLIER = "supplier"
MATCHED = "matched"
ODOO = "odoo"
# Why a bill waits.
NOT_READY = "not_ready"
UNTRUSTED = "untrusted"
NO_RULE = "no_rule"

MATCHED_STATE = "matched"


@dataclass(frozen=True)
class Switches:
    """The three switches for one supplier in one company.

    ``supplier_auto``: the supplier's *Import invoices automatically*; ``match_autopost``: the company's
    *Validate matched bills automatically*; ``odoo_autopost``: Odoo's *Auto-validate bills* on the company
    and the supplier's *Auto-post bills* set to *Always*.
    """

    supplier_auto: bool = False
    match_autopost: bool = False
    odoo_autopost: bool = False


@dataclass(frozen=True)
class Decision:
    """``post``: the bill is posted now; ``rule``: the rule that posts it or why it waits (the constants above);
    ``reason``: the decision as one sentence (what the chatter or the banner says)."""

    post: bool
    rule: str
    reason: str


def decide(switches, ready, trusted, match_state=None, orders=()):
    """The decision for one imported bill.

    ``ready``: every key field read with confidence and no warning; ``trusted``: the supplier was
    recognised by an authenticated mapped sender, or by VAT number in an uploaded file;
    ``match_state``: the purchase order match (``matched``, ``waiting``, ``exception`` or None);
    ``orders``: the names of the purchase orders it matched.

    >>> decide(Switches(supplier_auto=True), ready=True, trusted=True).reason
    'Posted automatically: the supplier has Import invoices automatically ticked.'
    >>> d = decide(Switches(match_autopost=True), ready=True, trusted=True, match_state="matched", orders=["PO-1"])
    >>> d.post, d.rule
    (True, 'matched')
    >>> decide(Switches(supplier_auto=True), ready=True, trusted=False).rule
    'untrusted'
    """
    if not ready:
        return Decision(False, NOT_READY, "Not posted automatically: the import needs a look.")
    if not trusted:
        return Decision(
            False,
            UNTRUSTED,
            "Not posted automatically: the supplier was not recognised by an authenticated sender address "
            "nor by its VAT number in an uploaded file.",
        )
    matched = match_state == MATCHED_STATE
    if switches.supplier_auto:
        return Decision(True, SUPPLIER, "Posted automatically: the supplier has Import invoices automatically ticked.")
    if switches.match_autopost and matched:
        return Decision(
            True,
            MATCHED,
            f"Posted automatically: it matches {_orders(orders)} within tolerance and Validate matched bills "
            "automatically is on.",
        )
    if switches.odoo_autopost:
        return Decision(
            True,
            ODOO,
            "Posted automatically: Auto-validate bills is on and the supplier's bills are set to be posted always.",
        )
    if switches.match_autopost:
        why = "it matches no purchase order" if not match_state else "it does not match its purchase order"
        return Decision(
            False, NO_RULE, f"Not posted automatically: {why} and the supplier's bills are not posted automatically."
        )
    return Decision(
        False,
        NO_RULE,
        "Not posted automatically: neither the supplier's Import invoices automatically nor Validate matched "
        "bills automatically is on.",
    )


def describe_policy(switches, supplier_name=None):
    """What posts automatically, as one sentence: for a supplier (``supplier_name``) or the company (None).

    >>> describe_policy(Switches(), "Bolt Supplies Ltd")
    'Bills from Bolt Supplies Ltd wait in draft for a person to confirm them.'
    >>> describe_policy(Switches(match_autopost=True), "Bolt Supplies Ltd")  # doctest: +NORMALIZE_WHITESPACE
    'Bills from Bolt Supplies Ltd that match their purchase orders within tolerance are posted automatically,
    when read with confidence from a trusted sender; the others wait in draft for a person.'
    """
    trust = "when read with confidence from a trusted sender"
    if supplier_name is not None:
        subject = f"Bills from {supplier_name}"
        if switches.supplier_auto or switches.odoo_autopost:
            why = "Import invoices automatically" if switches.supplier_auto else "Auto-validate bills set to Always"
            return f"{subject} are posted automatically ({why}), {trust}; the others wait in draft for a person."
        if switches.match_autopost:
            return (
                f"{subject} that match their purchase orders within tolerance are posted automatically, {trust}; "
                "the others wait in draft for a person."
            )
        return f"{subject} wait in draft for a person to confirm them."
    rules = ["from a supplier with Import invoices automatically ticked"]
    if switches.match_autopost:
        rules.append("matching its purchase orders within tolerance")
    if switches.odoo_autopost:
        rules.append("from a supplier whose bills are set to be posted always (Auto-validate bills)")
    return (
        f"An imported bill is posted automatically {trust}, and only {_either(rules)}; "
        "every other bill waits in draft with an activity for the assignees."
    )


def _orders(orders):
    return ", ".join(orders) if orders else "its purchase order"


def _either(rules):
    if len(rules) == 1:
        return rules[0]
    return "either " + ", or ".join(rules)


def posting_order(bills):
    """The order in which the bills of one mail (or one upload) are posted: oldest invoice date first.

    A bill gets its sequence number when it is posted; the bills of one delivery are posted together so
    that their numbers follow their invoice dates, whatever order the files were decoded in (a CSV's
    extra invoices are read before the bill Odoo decodes is settled). ``bills``: ``(key, invoice_date,
    position)`` with the position in the delivery (file order); a bill without a date goes last. Returns
    the keys in posting order.

    >>> import datetime as dt
    >>> posting_order([("b", dt.date(2024, 3, 6), 0), ("a", dt.date(2024, 3, 5), 1), ("c", None, 2)])
    ['a', 'b', 'c']
    """
    undated = (1,)
    return [key for key, _date, _position in sorted(bills, key=lambda b: ((0, b[1]) if b[1] else undated, b[2]))]
