"""The one auto-posting rule for imported bills (engine/autopost.py); what a draft bill waits for (waiting.py)."""

import pytest

from invoice_import.engine.autopost import (
    MATCHED,
    NO_RULE,
    NOT_READY,
    ODOO,
    SUPPLIER,
    UNTRUSTED,
    Switches,
    decide,
    describe_policy,
)
from invoice_import.engine.states import DUPLICATE, FAILED, QUEUED, READY, TO_REVIEW
from invoice_import.engine.waiting import Waiting, waiting_reason

ALL = Switches(supplier_auto=True, match_autopost=True, odoo_autopost=True)


@pytest.mark.parametrize(
    ("switches", "match_state", "rule"),
    [
        (Switches(supplier_auto=True), None, SUPPLIER),
        (Switches(supplier_auto=True), "waiting", SUPPLIER),  # a supplier without orders in Odoo
        (Switches(match_autopost=True), "matched", MATCHED),
        (Switches(odoo_autopost=True), None, ODOO),
        (ALL, "matched", SUPPLIER),  # the first rule that asks for it names the decision
        (Switches(match_autopost=True, odoo_autopost=True), "matched", MATCHED),
    ],
)
def test_a_rule_posts_a_ready_bill_of_a_trusted_supplier(switches, match_state, rule):
    decision = decide(switches, ready=True, trusted=True, match_state=match_state, orders=["PO-1"])
    assert (decision.post, decision.rule) == (True, rule)
    assert decision.reason.startswith("Posted automatically: ")


@pytest.mark.parametrize(
    ("ready", "trusted", "rule"),
    [(False, True, NOT_READY), (False, False, NOT_READY), (True, False, UNTRUSTED)],
)
def test_no_switch_posts_a_bill_that_needs_a_look_or_came_from_an_unvouched_sender(ready, trusted, rule):
    decision = decide(ALL, ready=ready, trusted=trusted, match_state="matched")
    assert (decision.post, decision.rule) == (False, rule)
    assert decision.reason.startswith("Not posted automatically: ")


def test_matched_bills_are_posted_only_when_matched():
    switches = Switches(match_autopost=True)
    for match_state, why in ((None, "matches no purchase order"), ("exception", "does not match its purchase order")):
        decision = decide(switches, ready=True, trusted=True, match_state=match_state)
        assert (decision.post, decision.rule) == (False, NO_RULE)
        assert why in decision.reason
    matched = decide(switches, ready=True, trusted=True, match_state="matched", orders=["PO-4711", "PO-4712"])
    assert matched.reason == (
        "Posted automatically: it matches PO-4711, PO-4712 within tolerance and Validate matched bills "
        "automatically is on."
    )


def test_no_switch_no_post():
    decision = decide(Switches(), ready=True, trusted=True, match_state="matched", orders=["PO-88123"])
    assert (decision.post, decision.rule) == (False, NO_RULE)
    assert "neither the supplier's Import invoices automatically nor Validate matched bills" in decision.reason


def test_policy_for_a_supplier_names_the_switch_that_posts_its_bills():
    assert describe_policy(Switches(), "Bolt") == "Bills from Bolt wait in draft for a person to confirm them."
    assert "(Import invoices automatically)" in describe_policy(Switches(supplier_auto=True), "ACME")
    assert "(Auto-validate bills set to Always)" in describe_policy(Switches(odoo_autopost=True), "ACME")
    matched = describe_policy(Switches(match_autopost=True), "Bolt")
    assert matched.startswith("Bills from Bolt that match their purchase orders within tolerance are posted")
    assert "trusted sender" in matched


def test_policy_for_the_company_lists_the_rules_that_are_on():
    assert describe_policy(Switches()) == (
        "An imported bill is posted automatically when read with confidence from a trusted sender, and only from "
        "a supplier with Import invoices automatically ticked; every other bill waits in draft with an activity "
        "for the assignees."
    )
    both = describe_policy(Switches(match_autopost=True, odoo_autopost=True))
    assert "either from a supplier with Import invoices automatically ticked, or matching its purchase orders" in both
    assert "(Auto-validate bills)" in both


@pytest.mark.parametrize(
    ("waiting", "expected"),
    [
        (
            Waiting(READY, "matched", ("PO-88123",), autopost="Not posted automatically: no rule."),
            "Waiting for confirmation: matched to PO-88123. Not posted automatically: no rule.",
        ),
        (Waiting(READY), "Waiting for confirmation."),
        (Waiting(TO_REVIEW, "exception", ("PO-1",)), "To review: outside the matching tolerance of PO-1."),
        (Waiting(TO_REVIEW), "To review: check the warnings on the Import tab."),
        (Waiting(FAILED, error="The PDF cannot be parsed"), "The file could not be read: The PDF cannot be parsed."),
        (
            Waiting(DUPLICATE, duplicate_of="BILL/2026/0001"),
            "Already imported as BILL/2026/0001: link this document to it, or replace its document.",
        ),
        (Waiting(DUPLICATE), None),  # resolved
        (Waiting(QUEUED), None),  # waits for OCR, not for a person
    ],
)
def test_waiting_reason(waiting, expected):
    assert waiting_reason(waiting) == expected


def test_bills_of_one_delivery_are_posted_oldest_first_then_in_file_order():
    import datetime as dt

    from invoice_import.engine.autopost import posting_order

    march_5, march_6 = dt.date(2024, 3, 5), dt.date(2024, 3, 6)
    # the CSV's second invoice (decoded first as an extra bill) is dated before the first
    assert posting_order([("main", march_6, 0), ("extra", march_5, 1)]) == ["extra", "main"]
    # same date: the file's order; no date: after the dated ones
    assert posting_order([("x", None, 0), ("y", march_5, 2), ("z", march_5, 1)]) == ["z", "y", "x"]
    assert posting_order([]) == []
