"""Tolerance rules: every scope and mode, range selection, both directions, overlaps, bad rules refused."""

from decimal import Decimal as D

import pytest

from invoice_import.engine.tolerance import (
    ABSOLUTE,
    LINE_TOTAL,
    ORDER_TOTAL,
    PERCENT,
    SCOPES,
    UNIT_PRICE,
    ToleranceRule,
    overlapping,
    select_rule,
    within_tolerance,
)


def test_worked_example_absolute_range_0_to_9_99():
    rule = ToleranceRule(UNIT_PRICE, ABSOLUTE, D("0.05"), D("0"), D("9.99"))
    document = D("7.56")
    assert select_rule([rule], UNIT_PRICE, document) is rule
    matching = [
        v for v in ("7.49", "7.50", "7.51", "7.56", "7.61", "7.62", "7.71") if within_tolerance(document, D(v), rule)
    ]
    # 7.71, printed in the vendor's documentation, is a typo: 7.56 + 0.05 = 7.61
    assert matching == ["7.51", "7.56", "7.61"]


@pytest.mark.parametrize("scope", SCOPES)
def test_every_scope_in_both_modes_and_both_directions(scope):
    absolute = ToleranceRule(scope, ABSOLUTE, D("2"))
    percent = ToleranceRule(scope, PERCENT, D("5"))
    document = D("100")
    for ordered, expected in (("98", True), ("102", True), ("97.99", False), ("102.01", False)):
        assert within_tolerance(document, D(ordered), absolute) is expected
    # 5 % of the document value (100) = 5, above and below
    for ordered, expected in (("95", True), ("105", True), ("94.99", False), ("105.01", False)):
        assert within_tolerance(document, D(ordered), percent) is expected


def test_percent_is_of_the_document_value_and_works_on_credit_notes():
    rule = ToleranceRule(ORDER_TOTAL, PERCENT, D("10"))
    assert within_tolerance(D("-200"), D("-220"), rule)
    assert not within_tolerance(D("-200"), D("-221"), rule)


def test_first_rule_by_sequence_whose_range_contains_the_value():
    small = ToleranceRule(LINE_TOTAL, ABSOLUTE, D("0.05"), D("0"), D("9.99"), sequence=10)
    medium = ToleranceRule(LINE_TOTAL, PERCENT, D("1"), D("10"), D("999.99"), sequence=20)
    large = ToleranceRule(LINE_TOTAL, ABSOLUTE, D("5"), D("1000"), None, sequence=30)
    shadowed = ToleranceRule(LINE_TOTAL, ABSOLUTE, D("100"), D("0"), None, sequence=40)
    other_scope = ToleranceRule(ORDER_TOTAL, ABSOLUTE, D("100"), sequence=1)
    rules = [shadowed, large, other_scope, medium, small]
    assert select_rule(rules, LINE_TOTAL, D("9.99")) is small
    assert select_rule(rules, LINE_TOTAL, D("10")) is medium
    assert select_rule(rules, LINE_TOTAL, D("999.99")) is medium
    assert select_rule(rules, LINE_TOTAL, D("1000")) is large
    assert select_rule(rules, UNIT_PRICE, D("5")) is None
    assert select_rule([shadowed, small], LINE_TOTAL, D("5")) is small  # sequence, not list order


def test_no_rule_means_exact():
    assert within_tolerance(D("10.00"), D("10"), None)
    assert not within_tolerance(D("10.00"), D("10.01"), None)


def test_overlapping_ranges_are_detected_per_scope():
    a = ToleranceRule(UNIT_PRICE, ABSOLUTE, D("1"), D("0"), D("9.99"), sequence=1)
    b = ToleranceRule(UNIT_PRICE, ABSOLUTE, D("1"), D("10"), D("100"), sequence=2)
    touching = ToleranceRule(UNIT_PRICE, ABSOLUTE, D("1"), D("100"), None, sequence=3)
    open_ended = ToleranceRule(LINE_TOTAL, ABSOLUTE, D("1"), D("0"), None, sequence=4)
    also_open = ToleranceRule(LINE_TOTAL, ABSOLUTE, D("1"), D("50"), None, sequence=5)
    pairs = [(x.sequence, y.sequence) for x, y in overlapping([a, b, touching, open_ended, also_open])]
    assert pairs == [(2, 3), (4, 5)]
    assert overlapping([a, b]) == []


@pytest.mark.parametrize(
    "kwargs, error",
    [
        ({"scope": "weight", "mode": ABSOLUTE, "value": D(1)}, ValueError),
        ({"scope": UNIT_PRICE, "mode": "fuzzy", "value": D(1)}, ValueError),
        ({"scope": UNIT_PRICE, "mode": PERCENT, "value": D(101)}, ValueError),
        ({"scope": UNIT_PRICE, "mode": ABSOLUTE, "value": D(-1)}, ValueError),
        ({"scope": UNIT_PRICE, "mode": ABSOLUTE, "value": 0.05}, TypeError),
        ({"scope": UNIT_PRICE, "mode": ABSOLUTE, "value": D(1), "min_value": D(10), "max_value": D(5)}, ValueError),
    ],
)
def test_bad_rules_are_refused(kwargs, error):
    with pytest.raises(error):
        ToleranceRule(**kwargs)


def test_floats_are_refused_in_checks():
    with pytest.raises(TypeError):
        within_tolerance(7.56, D("7.51"), None)


@pytest.mark.parametrize(
    ("rule", "words"),
    [
        # a new rule as the form creates it: nothing tolerated, every value
        (ToleranceRule(UNIT_PRICE, ABSOLUTE, D("0.0"), D("0.0")), "Unit price equal to the order"),
        (
            ToleranceRule(UNIT_PRICE, ABSOLUTE, D("0.05"), D("0"), D("9.99")),
            "Unit price within ±0.05 of the order, for unit prices up to 9.99",
        ),
        (
            ToleranceRule(LINE_TOTAL, PERCENT, D("2.50"), D("100.00"), D("999.99")),
            "Line total within ±2.5% of the order, for line totals from 100 to 999.99",
        ),
        (
            ToleranceRule(ORDER_TOTAL, PERCENT, D("1"), D("1000"), name="Large orders"),
            "Large orders: Order total within ±1% of the order, for order totals from 1000",
        ),
    ],
)
def test_a_rule_is_named_in_words(rule, words):
    assert rule.describe() == words
    assert "_" not in words and "∞" not in words


def test_a_check_without_rule_says_the_value_must_equal_the_order():
    from invoice_import.engine.tolerance import describe_missing

    assert [describe_missing(scope) for scope in SCOPES] == [
        "Order total equal to the order (no tolerance rule)",
        "Line total equal to the order (no tolerance rule)",
        "Unit price equal to the order (no tolerance rule)",
    ]
