"""Totals completion, cross-checks and credit-note signs shared by the CSV reader and the PDF templates."""

from decimal import Decimal as D

from invoice_import.engine.checks import (
    COMPUTED_CONFIDENCE,
    MAX_WARNINGS,
    SUSPECT_CONFIDENCE,
    cross_check,
    expected_line_amount,
    fill_missing_totals,
    neutralise_formula,
    normalise_signs,
    screen,
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


def test_formula_looking_texts_are_stored_with_an_apostrophe_whatever_the_source():
    invoice = _invoice(
        Line(description='=HYPERLINK("http://evil.example","x")', product_code="@SUM(A1)"),
        Line(description="-1+1", product_code="-12.50"),
        Line(description="+1+1", product_code="A-1"),
        invoice_number="1",
    )
    invoice.invoice_number, invoice.po_reference = "=1+1", "+cmd|' /C calc'!A0"
    invoice.supplier.name, invoice.supplier.phone = "@evil", "+49 (30) 1234-56"
    screen(invoice)
    assert invoice.invoice_number == "'=1+1" and invoice.po_reference == "'+cmd|' /C calc'!A0"
    assert [(ln.description, ln.product_code) for ln in invoice.lines] == [
        ('\'=HYPERLINK("http://evil.example","x")', "'@SUM(A1)"),
        ("'-1+1", "-12.50"),
        ("'+1+1", "A-1"),
    ]
    assert invoice.supplier.name == "'@evil" and invoice.supplier.phone == "+49 (30) 1234-56"
    assert any("7 text(s) starting like a spreadsheet formula" in w for w in invoice.warnings)
    screen(invoice)  # already neutral: nothing changes twice
    assert invoice.invoice_number == "'=1+1"
    assert neutralise_formula("+1-1", phone=True) == "+1-1" and neutralise_formula("+1+1", phone=True) == "'+1+1"


def test_currency_outside_iso_4217_is_dropped_with_confidence_zero():
    for code in ("XXX", "<b>EUR</b>", "EURO", "XAU"):
        invoice = _invoice(amount_total="10.00")
        invoice.currency, invoice.confidence["currency"] = code, 1.0
        screen(invoice)
        assert invoice.currency is None and invoice.confidence["currency"] == 0.0, code
        assert any("not an ISO 4217 currency" in w for w in invoice.warnings)
    for code in ("EUR", "CHF", "XOF", "JPY"):
        invoice = _invoice(amount_total="10.00")
        invoice.currency = code
        screen(invoice)
        assert invoice.currency == code and invoice.warnings == []


def test_opposite_signs_lower_the_confidence():
    invoice = _invoice(
        Line(quantity=D("-2"), unit_price=D("10.00"), amount=D("20.00")),
        Line(quantity=D("-1"), unit_price=D("5.00"), amount=D("-5.00")),  # a return line: consistent
        amount_untaxed="15.00",
        amount_total="17.85",
    )
    invoice.confidence.update({"lines": 1.0, "amount_total": 1.0})
    screen(invoice)
    assert invoice.warnings == ["line 1: quantity -2 x unit price 10.00 and amount 20.00 have opposite signs"]
    assert invoice.confidence["lines"] == invoice.confidence["amount_total"] == SUSPECT_CONFIDENCE
    consistent = _invoice(Line(quantity=D("-1"), unit_price=D("5.00"), amount=D("-5.00")), amount_total="-5.00")
    screen(consistent)
    assert consistent.warnings == [] and "lines" not in consistent.confidence


def test_warnings_are_capped_with_a_count():
    invoice = _invoice()
    invoice.warnings = [f"w{i}" for i in range(MAX_WARNINGS + 100)]
    screen(invoice)
    assert len(invoice.warnings) == MAX_WARNINGS and invoice.warnings[-1] == "and 101 more warnings"
