"""Pure line matching: how lines are found, quantities bounded by receipts, prices under the rules."""

from decimal import Decimal as D

from invoice_import.engine.matching import (
    BILL_ORDERED,
    InvoiceLine,
    OrderLine,
    discounted_price,
    invoice_lines_from_pivot,
    match_lines,
    review_after_match,
)
from invoice_import.engine.pivot import Line
from invoice_import.engine.states import EXCEPTION, MATCHED, READY, TO_REVIEW, WAITING
from invoice_import.engine.tolerance import ABSOLUTE, PERCENT, ToleranceRule

RULES = [
    ToleranceRule("unit_price", ABSOLUTE, D("0.05"), D("0"), D("9.99"), sequence=1),
    ToleranceRule("unit_price", PERCENT, D("1"), D("10"), None, sequence=2),
    ToleranceRule("line_total", PERCENT, D("1"), sequence=3),
    ToleranceRule("order_total", PERCENT, D("1"), sequence=4),
]


def po(id, price, ordered, received=None, billed=0, order=1, **kw):
    received = ordered if received is None else received
    return OrderLine(id, order, f"PO{order:05d}", D(price), D(ordered), D(received), D(billed), **kw)


def inv(index, qty, price, description=None, code=None):
    return InvoiceLine(index, D(qty), D(price), description, code)


def test_supplier_code_then_internal_ref_then_description_then_price():
    lines = [
        po(1, "8.90", 12, supplier_codes=("10-2040",), description="Hex bolts M8"),
        po(2, "2.35", 20, internal_ref="WASH-8", description="Washers DIN 125"),
        po(3, "189.00", 1, description="Torque wrench 40-200 Nm"),
        po(4, "55.00", 3, description="Gloves"),
    ]
    invoice = [
        inv(0, 12, "8.90", "Sechskantschrauben", "10 2040"),
        inv(1, 20, "2.35", "Unterlegscheiben", "wash-8"),
        inv(2, 1, "189.00", "Torque wrench 40–200 Nm", None),
        inv(3, 3, "55.00", "Arbeitshandschuhe", None),
    ]
    report = match_lines(invoice, lines, RULES)
    assert [(r.po_line_id, r.found_by) for r in report.lines] == [
        (1, "supplier_code"),
        (2, "internal_ref"),
        (3, "description"),
        (4, "unit_price"),
    ]
    assert report.passed and report.unmatched == []
    assert report.order_total.deviation == 0


def test_partial_receipt_is_not_a_full_match():
    report = match_lines([inv(0, 2, "5.00", code="A")], [po(1, "5.00", 2, received=1, supplier_codes=("A",))], RULES)
    line = report.lines[0]
    assert line.po_line_id == 1 and line.quantity_billable == D(1)
    assert not line.passed and "exceeds what is received" in line.reasons[0]
    assert line.failed_checks == ["quantity"]
    assert not report.passed
    # the order total counts only what could be billed: 1 × 5.00 against a document of 10.00
    assert report.order_total.ordered_value == D("5.00") and not report.order_total.passed


def test_billing_on_ordered_quantities_and_already_billed():
    ordered_policy = po(1, "5.00", 4, received=0, billed=1, supplier_codes=("A",), billing_policy=BILL_ORDERED)
    report = match_lines([inv(0, 3, "5.00", code="A")], [ordered_policy], RULES)
    assert report.passed and report.lines[0].quantity_billable == D(3)
    report = match_lines([inv(0, 4, "5.00", code="A")], [ordered_policy], RULES)
    assert not report.passed


def test_several_orders_in_one_invoice_and_the_referenced_order_preferred():
    lines = [
        po(1, "3.00", 5, order=1, supplier_codes=("A",)),
        po(2, "3.00", 5, order=2, supplier_codes=("A",)),
        po(3, "7.00", 2, order=3, supplier_codes=("B",)),
    ]
    report = match_lines([inv(0, 5, "3.00", code="A"), inv(1, 2, "7.00", code="B")], lines, RULES, ["po00002"])
    assert [r.po_line_id for r in report.lines] == [2, 3]
    assert report.order_names == ["PO00002", "PO00003"] and report.passed
    # without a reference the oldest order that can bill the quantity wins, and a line is used once
    report = match_lines([inv(0, 5, "3.00", code="A"), inv(1, 5, "3.00", code="A")], lines, RULES)
    assert [r.po_line_id for r in report.lines] == [1, 2] and report.passed


def test_candidate_that_can_bill_the_quantity_wins():
    lines = [
        po(1, "3.00", 5, received=1, order=1, supplier_codes=("A",)),
        po(2, "3.00", 5, order=2, supplier_codes=("A",)),
    ]
    report = match_lines([inv(0, 4, "3.00", code="A")], lines, RULES)
    assert report.lines[0].po_line_id == 2 and report.passed


def test_price_within_and_outside_tolerance_both_directions():
    lines = [
        po(1, "7.51", 1, supplier_codes=("A",)),
        po(2, "7.61", 1, supplier_codes=("B",)),
        po(3, "7.50", 1, supplier_codes=("C",)),
    ]
    report = match_lines(
        [inv(0, 1, "7.56", code="A"), inv(1, 1, "7.56", code="B"), inv(2, 1, "7.56", code="C")], lines, RULES
    )
    assert [r.passed for r in report.lines] == [True, True, False]
    assert report.lines[2].price_deviation == D("0.06")
    assert any("unit price 7.56" in reason for reason in report.lines[2].reasons)
    # what failed, for a screen to say in words; the rules that applied, in words
    assert [r.failed_checks for r in report.lines] == [[], [], ["unit_price"]]
    assert all("_" not in rule for rule in report.lines[0].rules)
    # percent range above 10: 1 % of 200 = 2
    lines = [po(1, "198.00", 1, supplier_codes=("A",)), po(2, "197.99", 1, supplier_codes=("B",))]
    report = match_lines([inv(0, 1, "200", code="A"), inv(1, 1, "200", code="B")], lines, RULES)
    assert [r.passed for r in report.lines] == [True, False]


def test_line_total_and_order_total_scopes():
    line_rule = [ToleranceRule("line_total", ABSOLUTE, D("0.10")), ToleranceRule("unit_price", ABSOLUTE, D("1"))]
    lines = [po(1, "3.333", 3, supplier_codes=("A",))]
    # 3 × 3.333 = 9.999; the document says 10.00 (rounded): within 0.10 on the line, but no order-total rule
    invoice = [InvoiceLine(0, D(3), D("3.33"), None, "A", amount=D("10.00"))]
    report = match_lines(invoice, lines, line_rule)
    assert report.lines[0].passed and not report.order_total.passed and report.order_total.rule is None
    rules = [*line_rule, ToleranceRule("order_total", ABSOLUTE, D("0.01"))]
    assert match_lines(invoice, lines, rules).passed
    strict = [ToleranceRule("line_total", ABSOLUTE, D("0")), *rules[1:]]
    assert not match_lines(invoice, lines, strict).passed


def test_unknown_products_stay_unmatched():
    lines = [po(1, "5.00", 1, supplier_codes=("A",), description="Widget")]
    report = match_lines([inv(0, 1, "99.00", "Something else entirely", "ZZZ")], lines, RULES)
    assert report.unmatched and report.lines[0].po_line_id is None and not report.passed
    assert report.lines[0].failed_checks == ["no_match"]
    assert report.to_dict()["unmatched"] == [0]


def test_report_is_json_ready():
    import json

    report = match_lines([inv(0, 1, "5.00", code="A")], [po(1, "5.00", 1, supplier_codes=("A",))], RULES)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["passed"] is True and data["lines"][0]["unit_price_ordered"] == "5.00"


def test_pivot_lines_become_matching_input():
    lines = invoice_lines_from_pivot(
        [Line(description="x", quantity=None, amount=D("12.50")), Line(quantity=D(2), unit_price=D(3))]
    )
    assert [(line.quantity, line.unit_price) for line in lines] == [(D(1), D("12.50")), (D(2), D(3))]


def test_fifty_lines_against_ten_thousand_open_lines():
    """The supplier codes still decide among 10,000 candidates (the speed is bench/matching.py's figure)."""
    words = ["bolt", "nut", "washer", "screw", "pipe", "valve", "cable", "plug", "seal", "clamp"]
    lines = [
        po(
            i,
            f"{1 + i % 97}.{i % 100:02d}",
            10,
            order=i // 10,
            supplier_codes=(f"S{i}",),
            internal_ref=f"R{i}",
            description=f"{words[i % 10]} {words[(i // 10) % 10]} size {i % 50}",
        )
        for i in range(10_000)
    ]
    invoice = [
        inv(
            k,
            2,
            f"{1 + (k * 199) % 97}.{(k * 199) % 100:02d}",
            f"{words[k % 10]} size {k}",
            None if k % 3 else f"S{k * 199}",
        )
        for k in range(50)
    ]
    report = match_lines(invoice, lines, RULES)
    assert sum(1 for r in report.lines if r.found_by == "supplier_code") == 17


def test_the_state_of_a_report_matched_waiting_or_outside_tolerance():
    matched = match_lines([inv(0, 2, "5.00", code="A")], [po(1, "5.00", 2, supplier_codes=("A",))], RULES)
    early = match_lines([inv(0, 2, "5.00", code="A")], [po(1, "5.00", 2, received=1, supplier_codes=("A",))], RULES)
    unknown = match_lines([inv(0, 1, "5.00", code="Z")], [po(1, "99.00", 2, supplier_codes=("A",))], RULES)
    dear = match_lines([inv(0, 2, "6.00", code="A")], [po(1, "5.00", 2, supplier_codes=("A",))], RULES)
    assert [r.state for r in (matched, early, unknown, dear)] == [MATCHED, WAITING, WAITING, EXCEPTION]
    assert match_lines([], [po(1, "5.00", 2)], RULES).state == WAITING, "nothing billed yet: wait"


def test_discounted_prices_compare_at_four_decimals():
    assert discounted_price(D("189.00"), D("10")) == D("170.1000")
    assert discounted_price(D("2.35"), D("0.0")) == D("2.35")
    assert discounted_price(D("3.3333"), D("33.3333")) == D("2.2222")


def test_only_the_match_holds_a_ready_bill_and_releases_it():
    # a ready bill whose match fails is held; matched again later, it is ready; a bill to review for its
    # fields stays to review whatever the match
    state, held = review_after_match(WAITING, READY, False)
    assert (state, held) == (TO_REVIEW, True)
    assert review_after_match(EXCEPTION, state, held) == (None, True)
    assert review_after_match(MATCHED, state, held) == (READY, False)
    assert review_after_match(MATCHED, TO_REVIEW, False) == (None, False)
    assert review_after_match(MATCHED, READY, False) == (None, False)
