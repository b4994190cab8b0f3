"""How an extracted invoice becomes a bill: line prices and discounts, the document's tax rate, refunds and signs."""

from decimal import Decimal as D
from pathlib import Path

import pytest

from invoice_import.engine import extract_file
from invoice_import.engine.bill_plan import (
    MATCH_CONFIDENCE,
    UNAUTHENTICATED_SENDER,
    BillPlan,
    bill_kind,
    discount_for,
    line_price,
    partner_confidence,
    plan_confidence,
    tax_rate,
    untaxed_amount,
)
from invoice_import.engine.formats import load_format
from invoice_import.engine.pivot import Invoice, Line

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


def bill_lines(invoice, digits=2):
    """``[(quantity, price, discount)]`` as the bill takes the invoice's lines."""
    result = []
    for line in invoice.lines:
        quantity, price, discount = line_price(line.unit_price, line.amount, line.quantity, line.discount, digits)
        result.append((quantity, price, discount_for(line.amount, quantity, price, discount)))
    return result


def net(lines):
    return sum(q * p * (1 - d / 100) for q, p, d in lines)


@pytest.mark.parametrize(
    "sample, fmt, rate",
    [("acme_invoices.csv", "acme_csv.json", "19.00"), ("bolt_supplies_invoice.pdf", "bolt_supplies_pdf.json", "20.00")],
)
def test_the_samples_lines_come_to_their_untaxed_total_at_their_single_rate(sample, fmt, rate):
    invoices = extract_file(SAMPLES / sample, formats=[load_format(SAMPLES / "formats" / fmt)]).invoices
    for invoice in invoices:
        assert net(bill_lines(invoice)).quantize(D("0.01")) == invoice.amount_untaxed
        assert tax_rate(invoice.amount_tax, invoice.amount_untaxed) == D(rate)
        assert bill_kind(invoice.document_type, invoice.amount_total) == (False, D(1))


def test_a_price_rounded_to_the_precision_is_carried_by_the_exact_discount():
    # 3 at 4.095 = 12.285, stated 12.29 (rounded): the price is stored as 4.10, the discount makes up the cent
    lines = bill_lines(Invoice(lines=[Line(quantity=D(3), unit_price=D("4.095"), amount=D("12.29"))]))
    (quantity, price, discount) = lines[0]
    assert price == D("4.10") and D(0) < discount < D("0.1")
    assert net(lines).quantize(D("0.01")) == D("12.29")


def test_a_line_amount_with_tax_is_no_surcharge_the_stated_discount_stays():
    line = Line(quantity=D(2), unit_price=D("10.00"), discount=D(5), amount=D("23.80"))  # 20.00 + 19 % tax
    assert bill_lines(Invoice(lines=[line])) == [(D(2), D("10.00"), D(5))]


def test_a_line_stated_only_by_its_amount_gets_the_price_before_its_discount():
    lines = bill_lines(Invoice(lines=[Line(quantity=D(4), discount=D(25), amount=D("30.00"))]), digits=4)
    assert lines == [(D(4), D("10.0000"), D(25))]
    assert line_price(None, D("30.00"), D(0), D(100), 2) == (D(1), D("30.00"), D(100)), "no division by zero"


def test_a_credit_note_and_a_negative_invoice_are_refunds_a_negative_credit_note_is_not():
    assert bill_kind("credit_note", D("50.00")) == (True, D(1))
    assert bill_kind("invoice", D("-50.00")) == (True, D(-1))
    assert bill_kind("credit_note", D("-50.00")) == (False, D(-1))


def test_the_untaxed_total_and_rate_of_a_document_without_lines():
    invoice = Invoice(amount_total=D("107.00"), amount_tax=D("7.00"))
    assert untaxed_amount(invoice) == D("100.00")
    assert tax_rate(invoice.amount_tax, untaxed_amount(invoice)) == D("7.00")
    assert untaxed_amount(Invoice(amount_total=D("107.00"))) is None


def test_the_partner_confidence_of_each_way_and_an_unauthenticated_sender_capped():
    assert [partner_confidence(how, 1.0) for how in ("sender", "sender_domain", "name")] == [1.0, 0.95, 0.6]
    assert partner_confidence("contact", 0.85) == 0.765
    assert partner_confidence(False, 1.0) == 0.0
    assert set(MATCH_CONFIDENCE) == {"sender", "bill", "vat", "sender_domain", "mail", "contact", "name"}
    untrusted = plan_confidence(partner_confidence("sender", 1.0), False, {"amount_total": 1.0})
    assert untrusted == {"partner": UNAUTHENTICATED_SENDER, "amount_total": 1.0}
    assert plan_confidence(0.3, False, {})["partner"] == 0.3, "a cap, never a raise"


def test_a_plan_keeps_what_it_is_given():
    pivot = Invoice(invoice_number="RE-1")
    plan = BillPlan(pivot=pivot, format=None, partner="ACME", match="vat", confidence={"partner": 1.0})
    assert (plan.pivot, plan.partner, plan.duplicate, plan.sender_warning) == (pivot, "ACME", None, None)
