"""Totals completion, cross-checks and credit-note signs shared by the CSV reader and the PDF templates."""

from decimal import Decimal as D

from invoice_import.engine.checks import (
    COMPUTED_CONFIDENCE,
    cross_check,
    expected_line_amount,
    fill_missing_totals,
    normalise_signs,
)
from invoice_import.engine.pivot import Invoice, Line


def _invoice(*lines, **totals):
    return Invoice(lines=list(lines), **{k: D(v) for k, v in totals.items()})


def test_totals_are_completed_from_the_lines_and_each_other():
    invoice = _invoice(
        Line(quantity=D("3"), unit_price=D("9.99"), tax_rate=D("20")),
        Line(amount=D("10.00"), tax_rate=D("5")),
    )
    assert fill_missing_totals(invoice) == ["amount_untaxed", "amount_tax", "amount_total"]
    assert invoice.lines[0].amount == D("29.97")
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (D("39.97"), D("6.49"), D("46.46"))
    assert all(invoice.confidence[k] == COMPUTED_CONFIDENCE for k in ("amount_untaxed", "amount_tax", "amount_total"))
    assert len(invoice.warnings) == 3 and cross_check(invoice) == []


def test_untaxed_from_total_and_tax_when_a_line_has_no_amount():
    invoice = _invoice(Line(description="service"), amount_total="119.00", amount_tax="19.00")
    assert fill_missing_totals(invoice) == ["amount_untaxed"]
    assert invoice.amount_untaxed == D("100.00")


def test_nothing_is_invented_without_data():
    invoice = _invoice(Line(description="no numbers"), amount_untaxed="100.00")
    assert fill_missing_totals(invoice) == [] and invoice.amount_total is None and invoice.warnings == []


def test_cross_check_reports_each_disagreement():
    invoice = _invoice(
        Line(quantity=D("2"), unit_price=D("10.00"), amount=D("20.00"), tax_rate=D("20")),
        Line(quantity=D("1"), unit_price=D("5.00"), amount=D("6.00"), tax_rate=D("20")),
        amount_untaxed="25.00",
        amount_tax="5.00",
        amount_total="31.00",
    )
    assert cross_check(invoice) == [
        "amount_untaxed 25.00 + amount_tax 5.00 = 30.00, but amount_total is 31.00",
        "the lines sum to 26.00, but amount_untaxed is 25.00",
        "the lines' tax rates give a tax of 5.20, but amount_tax is 5.00",
        "line 2: quantity 1 x unit price 5.00 = 5.00, but the amount is 6.00",
    ]


def test_cross_check_tolerates_rounding_and_tax_included_lines():
    rounded = _invoice(Line(quantity=D("3"), unit_price=D("0.333"), amount=D("1.00")), amount_untaxed="1.00")
    assert cross_check(rounded) == []
    gross = _invoice(Line(amount=D("119.00")), amount_untaxed="100.00", amount_tax="19.00", amount_total="119.00")
    assert cross_check(gross) == []


def test_discounts_are_percentages():
    line = Line(quantity=D("4"), unit_price=D("2.50"), discount=D("12.5"), amount=D("8.75"))
    assert expected_line_amount(line) == D("8.75")
    assert cross_check(_invoice(line)) == []


def test_a_negative_invoice_becomes_a_positive_credit_note():
    invoice = _invoice(
        Line(quantity=D("-2"), unit_price=D("10.00"), amount=D("-20.00")),
        Line(quantity=D("1"), unit_price=D("-5.00"), amount=D("-5.00")),
        amount_untaxed="-25.00",
        amount_tax="-5.00",
        amount_total="-30.00",
    )
    warnings = normalise_signs(invoice)
    assert invoice.document_type == "credit_note" and "negative" in warnings[0]
    assert (invoice.amount_untaxed, invoice.amount_tax, invoice.amount_total) == (D("25.00"), D("5.00"), D("30.00"))
    assert [(ln.quantity, ln.unit_price, ln.amount) for ln in invoice.lines] == [
        (D("2"), D("10.00"), D("20.00")),
        (D("1"), D("5.00"), D("5.00")),
    ]
    assert cross_check(invoice) == []


def test_a_credit_note_already_positive_is_left_alone():
    invoice = _invoice(Line(amount=D("5.00")), amount_total="5.00")
    invoice.document_type = "credit_note"
    assert normalise_signs(invoice) == [] and invoice.amount_total == D("5.00")
